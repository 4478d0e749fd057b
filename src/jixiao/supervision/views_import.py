"""Bulk entry pages (office only): the template download and the upload, run in the request."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from jixiao.core.exports import XLSX_TYPE
from jixiao.core.refusals import form_refusals
from jixiao.supervision.importing.columns import COLUMNS
from jixiao.supervision.importing.plan import lookups_load
from jixiao.supervision.importing.template import FILENAME, header_text, template_bytes
from jixiao.supervision.importing.upload import matters_import_upload
from jixiao.supervision.services.imports import ImportRefused
from jixiao.supervision.views_common import office_scope

ASSIGN = {"": None, "yes": True, "no": False}


class MattersUploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_TYPE}))
    assign = forms.ChoiceField(label="交办", required=False, choices=[
        ("", "按表中“立即交办”列"), ("yes", "全部导入后立即交办"), ("no", "全部只登记，稍后交办")])



@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    scope = office_scope(request)
    name, fallback = FILENAME
    response = HttpResponse(template_bytes(lookups=lookups_load(scope)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    scope = office_scope(request)
    ctx: dict[str, Any] = {"columns": [(header_text(c), c.note) for c in COLUMNS],
                           "max_mb": settings.JIXIAO_IMPORT_MAX_BYTES // 1048576}
    status = 200
    if request.method == "POST":
        form = MattersUploadForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with form_refusals(form) as outcome:
                try:
                    ctx["summary"] = matters_import_upload(actor=request.user, scope=scope, upload=upload,
                                                           assign=ASSIGN[form.cleaned_data["assign"]])
                except ImportRefused as e:
                    # Not one refusal but a list of the file's bad rows, shown as a table.
                    ctx.update(problems=e.problems, problem_total=e.total, more=e.total - len(e.problems),
                               file_name=upload.name)
                    outcome.ok = False
            if outcome.ok:
                ctx["file_name"] = upload.name
                status = 200
                form = MattersUploadForm()
    else:
        form = MattersUploadForm()
    ctx["form"] = form
    return render(request, "supervision/import.html", ctx, status=status)
