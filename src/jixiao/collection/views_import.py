"""Excel import pages: the template download, the upload form, the job page and its progress."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.collection.importing.jobs import import_job_create, import_job_retry, import_job_stalled
from jixiao.collection.importing.plan import import_context, may_import
from jixiao.collection.importing.template import template_bytes, template_filename
from jixiao.collection.models import ImportJob
from jixiao.collection.selectors import import_job_get, import_jobs_of
from jixiao.core.exports import XLSX_TYPE
from jixiao.core.refusals import form_refusals, message_refusals
from jixiao.org.scoping import Scope, scope_of
from jixiao.schemes.models import Period
from jixiao.schemes.selectors import assessment_in_scope, period_in_assessment, periods_of

JOBS_PAGE = 20


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_TYPE}))
    again = forms.BooleanField(label="再次导入已导入过的同一文件", required=False)


def _period(request: HttpRequest, code: str, period: str) -> Period:
    scope = scope_of(request)
    assessment = assessment_in_scope(scope=scope, code=code)
    return period_in_assessment(scope=scope, assessment=assessment, code=period)


def _importer(request: HttpRequest) -> Scope:
    scope = scope_of(request)
    if not may_import(scope):
        raise PermissionDenied(_("Excel 导入只对填报单位和绩效办开放，您的账号没有填报权限"))
    return scope


def _attachment(name: str, fallback: str) -> str:
    """Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@login_required
@require_GET
def import_template(request: HttpRequest, code: str, period: str) -> HttpResponse:
    scope = _importer(request)
    p = _period(request, code, period)
    data = template_bytes(scope=scope, period=p)
    name, fallback = template_filename(p)
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = _attachment(name, fallback)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, code: str, period: str) -> HttpResponse:
    scope = _importer(request)
    p = _period(request, code, period)
    status = 200
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            with form_refusals(form) as outcome:
                job = import_job_create(actor=request.user, scope=scope, period=p, upload=form.cleaned_data["file"],
                                        again=form.cleaned_data["again"])
            if outcome.ok:
                if job.repeated:
                    messages.info(request, _("该文件与 %(when)s 上传的文件相同，未重复导入，下面是那次导入的结果。"
                                             "如需再次导入，请勾选“再次导入已导入过的同一文件”后重新上传。")
                                  % {"when": timezone.localtime(job.created_at).strftime("%Y-%m-%d %H:%M")})
                return redirect("collection:import_job", job.pk)
        status = 400
    else:
        form = ImportUploadForm()
    sheets = import_context(scope=scope, period=p, values=False).sheets()
    jobs = Paginator(import_jobs_of(scope=scope), JOBS_PAGE).get_page(request.GET.get("page"))
    return render(request, "collection/import_upload.html", {
        "assessment": p.assessment, "period": p, "periods": list(periods_of(p.assessment)), "form": form,
        "jobs": jobs.object_list, "page": jobs,
        "sheets": [(s.category.name, len(s.objects), len(s.columns)) for s in sheets],
    }, status=status)


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return import_job_get(scope=scope_of(request), pk=pk)


def _job_context(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    errors = [e for e in job.errors if not e.get("more")]
    more = sum(int(e.get("more", 0)) for e in job.errors)
    finished = job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED)
    failed = job.status == ImportJob.Status.FAILED
    # A job that failed for a cause other than its file (its worker died, an internal error) says
    # so in words and offers its uploader a retry of the same file, or the retry made already.
    interrupted = failed and job.retryable
    retry = job.retries.order_by("pk").first() if interrupted else None
    return {"job": job, "finished": finished, "errors": errors, "more": more, "error_total": len(errors) + more,
            "failed": failed, "interrupted": interrupted, "retry": retry,
            "can_retry": interrupted and retry is None and job.created_by_id == request.user.pk
            and job.period.is_open, "stalled": not finished and import_job_stalled(job)}


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "collection/import_job.html", _job_context(request, job))


@login_required
@require_GET
def import_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's state: JSON for ``Accept: application/json`` or ``?format=json``, else the
    HTML fragment the job page polls (it stops polling once the job has finished)."""
    job = _job(request, pk)
    ctx = _job_context(request, job)
    if request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({
            "id": job.pk, "status": job.status, "status_label": job.get_status_display(), "progress": job.progress,
            "stage": job.stage, "cells": job.cells, "written": job.written, "finished": ctx["finished"],
            "error_total": ctx["error_total"], "errors": ctx["errors"], "retryable": ctx["interrupted"],
            "retry": ctx["retry"].pk if ctx["retry"] is not None else None,
        }, json_dumps_params={"ensure_ascii": False})
    return render(request, "collection/import_job_status.html", ctx)


@login_required
@require_POST
def import_job_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    """重新导入: the same stored file as a new job (a job whose worker died, or that failed inside)."""
    job = _job(request, pk)
    with message_refusals(request) as outcome:
        new = import_job_retry(actor=request.user, scope=scope_of(request), job=job)
    if not outcome.ok:
        return redirect("collection:import_job", job.pk)
    return redirect("collection:import_job", new.pk)
