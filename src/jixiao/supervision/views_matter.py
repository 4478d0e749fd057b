"""One matter's pages: its detail (light and why, milestones, the step timeline, feedback,
extensions, notices) with the forms for the steps the user may take, and registering / editing.

Every write goes through a service, wrapped in ``jixiao.core.refusals``: a refusal of a form's
write goes next to its field (``form_refusals``), of a button to a message (``message_refusals``);
"not allowed" reaches the Chinese refusal page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.core import clock
from jixiao.core.refusals import form_refusals, message_refusals
from jixiao.org.scoping import Scope, scope_of
from jixiao.org.selectors import units_by_ids
from jixiao.supervision import forms
from jixiao.supervision.models import Extension, Matter
from jixiao.supervision.rules import ACTION_LABELS, TRANSITIONS, Parties, allowed_actions, is_unit_member, may
from jixiao.supervision.selectors import extension_get, lights_of, matter_for_edit
from jixiao.supervision.services import (
    extension_decide as extension_decide_service,
)
from jixiao.supervision.services import (
    extension_request as extension_request_service,
)
from jixiao.supervision.services import (
    matter_assign,
    matter_check,
    matter_close,
    matter_feedback,
    matter_register,
    matter_review,
    matter_sign,
    matter_update,
)
from jixiao.supervision.services.matters import parties_of
from jixiao.supervision.views_common import (
    LIST_URL,
    FormErrors,
    matter_for,
    may_register,
    milestone_rows,
    refusal_reason,
    visible_matter,
    warn_days,
)

# The single steps a button takes (the rest have forms of their own).
STEPS = ("review", "assign", "sign", "check_pass", "check_return", "close")


def _my_units(scope: Scope, parties: Parties) -> Any:
    """The matter's units the user belongs to (lead first): whom he can feed back for."""
    ids = [u for u in (parties.lead_unit, *sorted(parties.co_units)) if is_unit_member(scope, u)]
    return units_by_ids(scope=scope, ids=ids)


def _feedback_form(request: HttpRequest, matter: Matter, parties: Parties, data: Any = None,
                   files: Any = None) -> forms.FeedbackForm:
    scope = scope_of(request)
    may_report = may(scope, "report", parties) and matter.state in TRANSITIONS["report"][0]
    return forms.FeedbackForm(data, files, units=_my_units(scope, parties),
                              milestones=matter.milestones.filter(done_on__isnull=True),
                              may_report=may_report, initial={"version": matter.version})


def _detail(request: HttpRequest, pk: int, *, feedback_form: forms.FeedbackForm | None = None,
            extension_form: forms.ExtensionForm | None = None) -> HttpResponse:
    scope = scope_of(request)
    matter = visible_matter(request, pk)
    today = clock.today()
    light = lights_of([matter.pk], today=today)[matter.pk]
    parties = Parties(lead_unit=matter.lead_unit_id, co_units=frozenset(u.pk for u in matter.co_units.all()),
                      leader=matter.leader_id)
    actions = allowed_actions(scope, matter.state, parties)
    extensions = list(matter.extensions.all())
    pending = next((e for e in extensions if e.status == Extension.Status.PENDING), None)
    if feedback_form is None and ("feedback" in actions or "report" in actions):
        feedback_form = _feedback_form(request, matter, parties)
    if extension_form is None and "extension_request" in actions and pending is None:
        extension_form = forms.ExtensionForm(initial={"version": matter.version})
    decide = pending is not None and matter.state in TRANSITIONS["extension_decide"][0] and may(
        scope, "extension_decide", parties)
    feedback = list(matter.feedback.all())
    return render(request, "supervision/matter.html", {
        "m": matter, "light": light.colour, "light_label": light.label, "reason": light.reason,
        "overdue_days": light.overdue_days,
        "today": today, "warn_days": warn_days(matter), "milestones": milestone_rows(matter, today),
        "steps": [(s, ACTION_LABELS.get(s.action, s.action)) for s in matter.steps.all()],
        "step_buttons": [(a, ACTION_LABELS[a]) for a in actions if a in STEPS],
        "feedback": feedback, "extensions": extensions, "pending": pending, "decide": decide,
        "notices": list(matter.notices.all()), "feedback_form": feedback_form, "extension_form": extension_form,
        "editable": scope.office and matter.state in TRANSITIONS["update"][0],
        "list_url": LIST_URL[Matter.Kind(matter.kind)], "year_end": f"{matter.year}-12-31",
        "nav": "rectification" if matter.kind == Matter.Kind.RECTIFICATION else "index"})


@login_required
def matter(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _form_page(request: HttpRequest, *, matter: Matter | None) -> HttpResponse:
    """登记 (``matter`` None) or 修改: the matter's fields and its milestones."""
    scope = scope_of(request)
    kind = matter.kind if matter else (
        Matter.Kind.RECTIFICATION if request.GET.get("kind") == Matter.Kind.RECTIFICATION
        else Matter.Kind.SUPERVISION)
    if request.method == "POST":
        form = forms.MatterForm(request.POST, scope=scope, kind=request.POST.get("kind", kind))
        formset = forms.MilestoneFormSet(request.POST, prefix="ms")
    elif matter is not None:
        form = forms.MatterForm(initial=forms.MatterForm.initial_of(matter), scope=scope, kind=kind)
        formset = forms.MilestoneFormSet(prefix="ms", initial=[
            {"title": m.title, "due": m.due, "done_on": m.done_on} for m in matter.milestones.all()])
    else:
        form = forms.MatterForm(initial={"kind": kind}, scope=scope, kind=kind)
        formset = forms.MilestoneFormSet(prefix="ms")
    milestone_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.matter_input(forms.milestone_inputs(formset))
        with form_refusals(FormErrors(form, sinks={"milestones": milestone_errors})) as outcome:
            if matter is None:
                saved = matter_register(actor=request.user, scope=scope, data=data)
                messages.success(request, _("已登记 %(number)s，待审核交办") % {"number": saved.number})
            else:
                saved = matter_update(actor=request.user, scope=scope, matter=matter, data=data,
                                      expected_version=form.cleaned_data["version"])
                messages.success(request, _("已保存修改"))
        if outcome.ok:
            return redirect("supervision:matter", saved.pk)
    return render(request, "supervision/matter_form.html", {
        "form": form, "formset": formset, "milestone_errors": milestone_errors, "m": matter, "kind": kind,
        "rectification": kind == Matter.Kind.RECTIFICATION, "list_url": LIST_URL[Matter.Kind(kind)],
        "nav": "rectification" if kind == Matter.Kind.RECTIFICATION else "index"})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """登记督办事项 (office or a leader)."""
    if not may_register(scope_of(request)):
        raise PermissionDenied(refusal_reason("register"))
    return _form_page(request, matter=None)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改 (office): fields, co-units, leader, milestones; the page's version guards a stale edit."""
    if not scope_of(request).office:
        raise PermissionDenied(refusal_reason("update"))
    m = matter_for_edit(scope=scope_of(request), pk=pk)
    return _form_page(request, matter=m)


@login_required
@require_POST
def action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the chain: 审核、交办、签收、核查通过、退回重办、办结销号."""
    if action not in STEPS:
        raise Http404
    m, _parties = matter_for(request, pk, action)
    scope = scope_of(request)
    form = forms.NoteForm(request.POST)
    form.is_valid()
    version = form.cleaned_data.get("version")
    note = form.cleaned_data.get("note", "")
    kw: dict[str, Any] = {"actor": request.user, "scope": scope, "matter": m, "expected_version": version}
    with message_refusals(request) as outcome:
        if action == "review":
            matter_review(note=note, **kw)
        elif action == "assign":
            matter_assign(note=note, **kw)
        elif action == "sign":
            matter_sign(note=note, **kw)
        elif action in ("check_pass", "check_return"):
            matter_check(passed=action == "check_pass", reason=note, **kw)
        else:
            matter_close(note=note, **kw)
    if outcome.ok:
        messages.success(request, _("已%(action)s") % {"action": ACTION_LABELS[action]})
    return redirect("supervision:matter", m.pk)


@login_required
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """反馈进展 / 报送办结报告 with attachments."""
    m, parties = matter_for(request, pk, "feedback")
    form = _feedback_form(request, m, parties, request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        with form_refusals(FormErrors(form, aliases={"files": "attachments"})) as outcome:
            matter_feedback(actor=request.user, scope=scope_of(request), matter=m, unit=d["unit"], text=d["text"],
                            progress=d["progress"], milestone=d["milestone"], final=bool(d.get("final")),
                            uploads=d["attachments"], expected_version=d["version"])
        if outcome.ok:
            messages.success(request, _("已报送办结报告，待核查") if d.get("final") else _("已反馈"))
            return redirect("supervision:matter", m.pk)
    return _detail(request, m.pk, feedback_form=form)


@login_required
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    """申请延期 (the lead unit)."""
    m, _parties = matter_for(request, pk, "extension_request")
    form = forms.ExtensionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        with form_refusals(form) as outcome:
            ext = extension_request_service(actor=request.user, scope=scope_of(request), matter=m,
                                            new_deadline=d["new_deadline"], reason=d["reason"],
                                            expected_version=d["version"])
        if outcome.ok:
            text = _("已提交延期申请，待领导审批")
            if ext.new_deadline.year > m.year:
                text += _("（跨年度）")
            messages.success(request, text)
            return redirect("supervision:matter", m.pk)
    return _detail(request, m.pk, extension_form=form)


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """批准 / 不批准延期 (the leader in charge, or one overseeing the lead unit)."""
    scope = scope_of(request)
    ext = extension_get(scope=scope, pk=pk)
    if not may(scope, "extension_decide", parties_of(ext.matter)):
        raise PermissionDenied(refusal_reason("extension_decide"))
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准或不批准"))
    else:
        approve = form.cleaned_data["decision"] == "approve"
        with message_refusals(request) as outcome:
            extension_decide_service(actor=request.user, scope=scope, extension=ext, approve=approve,
                                     note=form.cleaned_data["note"])
        if outcome.ok:
            messages.success(request, _("已批准延期至 %(d)s") % {"d": ext.new_deadline} if approve
                             else _("已不批准延期"))
    nxt = request.POST.get("next", "")
    if nxt == "inbox":
        return redirect("supervision:inbox")
    return redirect(reverse("supervision:matter", args=[ext.matter_id]))
