"""Bulletin pages (督办通报): the list, drafting, the detail (and its print view), publishing and
the XLSX/PDF downloads. Drafts are the office's alone; everyone signed in reads published ones."""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.core import clock
from jixiao.core.exports import XLSX_TYPE, FontMissing, attachment_header, download_name
from jixiao.core.refusals import form_refusals, message_refusals
from jixiao.org.scoping import scope_of
from jixiao.supervision.exports.pdf import bulletin_html, bulletin_pdf, snapshot_context
from jixiao.supervision.exports.xlsx import bulletin_xlsx
from jixiao.supervision.forms import ChineseDateField
from jixiao.supervision.models import Bulletin
from jixiao.supervision.selectors import bulletin_get, bulletins_visible
from jixiao.supervision.services.bulletins import bulletin_create, bulletin_publish
from jixiao.supervision.views_common import office_scope

log = logging.getLogger(__name__)
PER_PAGE = 30  # bulletins a page


class BulletinForm(forms.Form):
    date_from = ChineseDateField(label=gettext_lazy("开始日期"))
    date_to = ChineseDateField(label=gettext_lazy("截止日期"), help_text=gettext_lazy("灯色和逾期天数按截止日期计算"))
    kind = forms.ChoiceField(label=gettext_lazy("范围"), required=False, choices=[
        ("", gettext_lazy("督办事项和整改事项")), ("supervision", gettext_lazy("督办事项")),
        ("rectification", gettext_lazy("整改事项"))])
    title = forms.CharField(label=gettext_lazy("标题"), required=False, max_length=200,
                            help_text=gettext_lazy("留空：督办通报（截止日期）"))
    number = forms.CharField(label=gettext_lazy("期号"), required=False, max_length=40,
                             help_text=gettext_lazy("留空：按年度顺延，如 2026年第3期"))



def _visible(request: HttpRequest, pk: int) -> Bulletin:
    """A bulletin the user may read: a draft is the office's alone (others get 404, as if absent)."""
    return bulletin_get(scope=scope_of(request), pk=pk)


@login_required
@require_GET
def bulletins(request: HttpRequest) -> HttpResponse:
    page = Paginator(bulletins_visible(scope=scope_of(request)), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "supervision/bulletin_list.html", {"bulletins": page, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_create_view(request: HttpRequest) -> HttpResponse:
    scope = office_scope(request)
    today = clock.today()
    form = BulletinForm(request.POST or None, initial={"date_from": today.replace(day=1), "date_to": today})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with form_refusals(form) as outcome:
            b = bulletin_create(actor=request.user, scope=scope, date_from=d["date_from"], date_to=d["date_to"],
                                kind=d["kind"] or "", title=d["title"] or "", number=d["number"] or "")
        if outcome.ok:
            messages.success(request, _("通报草稿已生成，核对无误后发布"))
            return redirect("supervision:bulletin", pk=b.pk)
    return render(request, "supervision/bulletin_form.html", {"form": form})


@login_required
@require_GET
def bulletin(request: HttpRequest, pk: int) -> HttpResponse:
    b = _visible(request, pk)
    if request.GET.get("print"):
        return HttpResponse(bulletin_html(b))
    return render(request, "supervision/bulletin_detail.html", snapshot_context(b))


@login_required
@require_POST
def bulletin_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = office_scope(request)
    b = bulletin_get(scope=scope, pk=pk)
    with message_refusals(request) as outcome:
        bulletin_publish(actor=request.user, scope=scope, bulletin=b)
    if outcome.ok:
        messages.success(request, _("通报已发布，所有用户可见"))
    return redirect("supervision:bulletin", pk=b.pk)


def _download(data: bytes, content_type: str, b: Bulletin, suffix: str) -> HttpResponse:
    stem = f"{b.title}-{b.number}" if b.number else b.title
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = attachment_header(download_name(stem, suffix), f"bulletin-{b.pk}{suffix}")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def bulletin_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    b = _visible(request, pk)
    return _download(bulletin_xlsx(b), XLSX_TYPE, b, ".xlsx")


@login_required
@require_GET
def bulletin_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    b = _visible(request, pk)
    try:
        data = bulletin_pdf(b)
    except FontMissing as e:
        log.error("bulletin %s: %s", b.pk, e)
        messages.error(request, str(e))
        return redirect("supervision:bulletin", pk=b.pk)
    return _download(data, "application/pdf", b, ".pdf")
