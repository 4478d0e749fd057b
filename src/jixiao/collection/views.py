"""Ledger pages: periods, an object's form per period, review, evidence, history, recording rates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.collection import forms
from jixiao.collection.history_export import history_xlsx
from jixiao.collection.models import Value
from jixiao.collection.selectors import (
    ballots_of,
    evidence_get,
    history_entries,
    ledger_for,
    objects_for_ledger,
    period_progress,
    recording_rates,
    value_get,
)
from jixiao.collection.services import (
    ballot_add,
    evidence_add,
    ledger_form_save,
    reminders_send,
    value_review,
    values_verify,
)
from jixiao.core.exports import XLSX_TYPE, attachment_header, download_name
from jixiao.core.refusals import form_refusals, message_refusals
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope, in_org, scope_of
from jixiao.org.selectors import object_of_org_get, units_of_org
from jixiao.schemes.catalog import VARIABLE_LABELS
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import assessment_in_scope, assessments_all, catalog_of, period_in_assessment, periods_of


def _assessment(request: HttpRequest, code: str) -> Assessment:
    """An assessment of the user's organisation; 404 for another's."""
    return assessment_in_scope(scope=scope_of(request), code=code)


def _period(request: HttpRequest, assessment: Assessment, code: str) -> Period:
    return period_in_assessment(scope=scope_of(request), assessment=assessment, code=code)


def _object_in_scope(scope: Scope, code: str) -> AssessedObject:
    obj = object_of_org_get(scope=scope, code=code)
    if not (scope.sees_object(obj.unit_id, obj.person_id) or scope.source_units):
        raise PermissionDenied(_("{name} 不在您负责的范围内").format(name=obj.name))
    return obj


def _in_org(scope: Scope, organisation_id: int) -> None:
    """Another organisation's record does not exist for this user."""
    if not in_org(scope, organisation_id):
        raise Http404


def _value_in_scope(scope: Scope, value: Value) -> None:
    """A value is visible to whoever sees its object, and to the data-source unit reporting it
    (within the value's organisation)."""
    _in_org(scope, value.assessment.organisation_id)
    obj = value.object
    if scope.sees_object(obj.unit_id, obj.person_id):
        return
    catalog = catalog_of(value.assessment)
    leaf = catalog.leaf(catalog.category_of_group(obj.group) or "", value.indicator)
    if leaf is None or not scope.reports_source(leaf.source):
        raise PermissionDenied(_("{name} 的这项数据不在您负责的范围内").format(name=obj.name))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    assessments = list(assessments_all(scope=scope_of(request)))
    if len(assessments) == 1:
        return redirect("collection:assessment", assessments[0].code)
    return render(request, "collection/index.html", {"assessments": assessments})


@login_required
def assessment(request: HttpRequest, code: str) -> HttpResponse:
    a = _assessment(request, code)
    periods = list(periods_of(a))
    current = next((p for p in periods if p.is_open), periods[-1] if periods else None)
    return render(request, "collection/assessment.html", {"assessment": a, "periods": periods, "current": current})


@login_required
def period(request: HttpRequest, code: str, period: str) -> HttpResponse:
    """The objects the user may report or review in a period, with how far each has got."""
    scope = scope_of(request)
    a = _assessment(request, code)
    p = _period(request, a, period)
    # A city's staff are tens of thousands: one page of objects, counted for that page only.
    page = Paginator(objects_for_ledger(scope=scope, assessment=a), OBJECTS_PAGE).get_page(request.GET.get("page"))
    objs = list(page.object_list)
    stats = period_progress(period=p, objects=objs)
    rows = [(o, stats.get(o.pk)) for o in objs]
    return render(request, "collection/period.html", {"assessment": a, "period": p, "rows": rows, "page": page,
                                                      "periods": list(periods_of(a))})


OBJECTS_PAGE = 100


@login_required
def object_form(request: HttpRequest, code: str, period: str, obj: str) -> HttpResponse:
    """An object's values for one period: enter, save as draft, submit; the office verifies."""
    scope = scope_of(request)
    a = _assessment(request, code)
    p = _period(request, a, period)
    o = _object_in_scope(scope, obj)
    rows = ledger_for(scope=scope, period=p, obj=o)
    if not rows and not scope.sees_object(o.unit_id, o.person_id):
        raise PermissionDenied(_("{name} 没有由您填报的指标").format(name=o.name))
    form = forms.LedgerForm(rows, request.POST or None)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        # One call, one transaction: every changed cell is written, or none. A closed period, a
        # stale or a verified cell: the reason is shown at the cell (or atop the form).
        with form_refusals(form) as outcome, form.refusals_at_cells():
            result = ledger_form_save(actor=request.user, scope=scope, period=p, obj=o, cells=form.cells(),
                                      submit=submit)
        if outcome.ok:
            n = result.saved + result.submitted
            if submit:
                messages.success(request, f"已报送 {n} 项" if n else "没有需要报送的数据")
            else:
                messages.success(request, f"已保存 {n} 项" if n else "没有修改，未保存任何数据")
            return redirect(request.path)
        if outcome.error is not None and outcome.error.field in form.fields:
            form.add_error(None, _("未保存任何数据：请按提示修改标出的数据后重新提交"))
    form.bind_rows()
    ballots = _ballots(scope, a, p, o)
    return render(request, "collection/object.html", {
        "assessment": a, "period": p, "object": o, "rows": rows, "form": form, "ballots": ballots,
        "periods": list(periods_of(a)),
        "can_review": p.is_open and scope.verifies_object(unit_id=o.unit_id, person_id=o.person_id,
                                                          unit_kind=o.unit.kind),
        "can_write": any(c.writable for r in rows for c in r.cells),
        "can_upload": p.is_open and any(r.writable for r in rows),
        "evidence_form": forms.EvidenceForm()})


def _ballots(scope: Scope, a: Assessment, p: Period, o: AssessedObject) -> dict[str, object]:
    catalog = catalog_of(a)
    category = catalog.category_of_group(o.group)
    leaves = [lf for lf in catalog.categories[category].leaves if lf.kind == "ballot" and lf.applies(p.code)] \
        if category else []
    names = {lf.code: lf.name for lf in catalog.categories[category].leaves} if category else {}
    existing = [(b, names.get(b["indicator"], b["indicator"]))
                for b in ballots_of(period=p, obj=o, by_rating=scope.office)]
    # Typed tallies are the office's (paper ballots); raters rate online in 测评 (jixiao.evaluations).
    can_rate = p.is_open and scope.office
    return {"leaves": leaves, "rows": existing, "can_rate": can_rate}


@login_required
@require_POST
def ballot_create(request: HttpRequest, code: str, period: str, obj: str) -> HttpResponse:
    scope = scope_of(request)
    a = _assessment(request, code)
    p = _period(request, a, period)
    o = _object_in_scope(scope, obj)
    form = forms.BallotForm(request.POST)
    if form.is_valid():
        with message_refusals(request) as outcome:
            ballot_add(actor=request.user, scope=scope, period=p, obj=o, indicator=form.cleaned_data["indicator"],
                       rating=form.cleaned_data["rating"], rater=form.cleaned_data["rater"],
                       count=form.cleaned_data["count"])
        if outcome.ok:
            messages.success(request, "评价已记录")
    else:
        messages.error(request, "评价填写不完整")
    return redirect("collection:object", a.code, p.code, o.code)


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The office verifies a value or returns it with a reason."""
    scope = scope_of(request)
    value = value_get(scope=scope, pk=pk)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        with message_refusals(request) as outcome:
            value_review(actor=request.user, scope=scope, value=value, approve=form.cleaned_data["approve"],
                         reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"])
        if outcome.ok:
            messages.success(request, "已审核" if form.cleaned_data["approve"] else "已退回")
    return redirect("collection:object", value.period.assessment.code, value.period.code, value.object.code)


@login_required
@require_POST
def review_all(request: HttpRequest, code: str, period: str, obj: str) -> HttpResponse:
    """Verify every submitted value of an object in a period."""
    scope = scope_of(request)
    a = _assessment(request, code)
    p = _period(request, a, period)
    o = _object_in_scope(scope, obj)
    with message_refusals(request) as outcome:
        n = values_verify(actor=request.user, scope=scope, period=p, obj=o)
    if outcome.ok:
        messages.success(request, f"已审核 {n} 项")
    return redirect("collection:object", a.code, p.code, o.code)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    value = value_get(scope=scope, pk=pk)
    _value_in_scope(scope, value)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        with message_refusals(request) as outcome:
            evidence_add(actor=request.user, scope=scope, upload=form.cleaned_data["file"], value=value)
        if outcome.ok:
            messages.success(request, "佐证材料已上传")
    else:
        messages.error(request, "请选择文件")
    return redirect("collection:object", value.period.assessment.code, value.period.code, value.object.code)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only to those who see its object."""
    scope = scope_of(request)
    ev = evidence_get(scope=scope, pk=pk)
    if ev.value is not None:
        _value_in_scope(scope, ev.value)
    elif ev.incident is not None and not scope.sees_object(ev.incident.object.unit_id, ev.incident.object.person_id):
        raise PermissionDenied(_("这份材料所属的事项不在您负责的范围内"))
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.name, content_type=ev.content_type)


@login_required
def value_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change of a value: who, when, how, before, after."""
    value = value_get(scope=scope_of(request), pk=pk)
    _value_in_scope(scope_of(request), value)
    catalog = catalog_of(value.assessment)
    leaf = catalog.leaf(catalog.category_of_group(value.object.group) or "", value.indicator)
    if request.GET.get("format") == "xlsx":
        title = (f"{value.object.name} · {leaf.name if leaf else value.indicator}"
                 f"（{VARIABLE_LABELS.get(value.variable, value.variable)}）· {value.period.name} 修改记录")
        response = HttpResponse(history_xlsx(title=title, entries=history_entries(
            value.changes.all()[:HISTORY_EXPORT_MAX])), content_type=XLSX_TYPE)
        response["Content-Disposition"] = attachment_header(download_name(title, ".xlsx"), f"history-{value.pk}.xlsx")
        return response
    page = Paginator(value.changes.all(), HISTORY_PAGE).get_page(request.GET.get("page"))
    template = "collection/_history.html" if request.htmx else "collection/history.html"  # type: ignore[attr-defined]
    return render(request, template, {"value": value, "entries": history_entries(page.object_list), "page": page,
                                      "indicator": leaf.name if leaf else value.indicator,
                                      "variable": VARIABLE_LABELS.get(value.variable, value.variable)})


HISTORY_PAGE = 50
HISTORY_EXPORT_MAX = 10000


@login_required
def rates(request: HttpRequest, code: str, period: str) -> HttpResponse:
    """Recording rate per responsible unit (录入率), and reminders to those behind (office)."""
    scope = scope_of(request)
    if not scope.office:
        raise PermissionDenied(_("录入率与催报只对绩效办开放"))
    a = _assessment(request, code)
    p = _period(request, a, period)
    form = forms.RemindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        units = list(units_of_org(scope=scope).filter(pk__in=request.POST.getlist("unit")))
        with form_refusals(form) as outcome:
            n = reminders_send(actor=request.user, scope=scope, period=p, units=units,
                               message=form.cleaned_data["message"])
        if outcome.ok:
            messages.success(request, f"已向 {n} 个单位发送催报通知")
            return redirect(reverse("collection:rates", args=[a.code, p.code]))
    return render(request, "collection/rates.html", {"assessment": a, "period": p, "rates": recording_rates(period=p),
                                                     "form": form, "periods": list(periods_of(a))})
