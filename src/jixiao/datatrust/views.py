"""数据指标库 and 数据质量提示 pages: the catalogue, a figure (its values, their entry and correction,
its uses), its lineage, and the office's review of the flags with "mark checked"."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixiao.collection.services import parse_number
from jixiao.core.refusals import form_refusals, message_refusals
from jixiao.datatrust import selectors as sel
from jixiao.datatrust import services as svc
from jixiao.datatrust.models import Figure
from jixiao.datatrust.rules import RULE_NAMES
from jixiao.org.scoping import Scope, scope_of
from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import assessments_all


def _member(request: HttpRequest) -> Scope:
    scope = scope_of(request)
    if scope.organisation_id is None:
        raise PermissionDenied("您不属于任何组织")
    return scope


def _office(request: HttpRequest) -> Scope:
    scope = _member(request)
    if not scope.office:
        raise PermissionDenied("只有绩效办可以使用此功能")
    return scope


def _units(scope: Scope) -> list[tuple[str, str]]:
    return [(str(u.pk), u.name) for u in sel.units_of(scope=scope)]


class FigureForm(forms.Form):
    code = forms.SlugField(label="编码", max_length=40, error_messages={"required": "请填写编码"})
    name = forms.CharField(label="指标名称", max_length=100, error_messages={"required": "请填写指标名称"})
    measure = forms.CharField(label="计量单位", max_length=20, required=False)
    source = forms.ChoiceField(label="数据来源单位")
    frequency = forms.ChoiceField(label="报送频率", choices=Figure.Frequency.choices)
    amount = forms.BooleanField(label="金额类指标", required=False)
    description = forms.CharField(label="说明", max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class ValueForm(forms.Form):
    unit = forms.ChoiceField(label="单位")
    period = forms.ChoiceField(label="期间", error_messages={"required": "请选择期间",
                                                          "invalid_choice": "请选择引用该指标的考核中的期间"})
    value = forms.CharField(label="数值", max_length=40, required=False)
    note = forms.CharField(label="说明（更正时必填）", max_length=300, required=False)


class BindForm(forms.Form):
    leaf = forms.ChoiceField(label="考核指标", error_messages={"required": "请选择考核指标",
                                                             "invalid_choice": "请选择本组织考核中的填报指标"})


class CheckForm(forms.Form):
    rule = forms.ChoiceField(choices=list(RULE_NAMES.items()))
    value_id = forms.IntegerField()
    note = forms.CharField(label="核查说明", max_length=300, error_messages={"required": "请填写核查说明"})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """数据指标库: the organisation's figures."""
    scope = _member(request)
    return render(request, "datatrust/index.html", {
        "figures": list(sel.figures_all(scope=scope)), "recording": sel.catalogue_recording(scope=scope),
        "assessments": list(assessments_all(scope=scope)) if scope.office else [], "nav": "catalogue"})


def _figure_form_page(request: HttpRequest, figure: Figure | None) -> HttpResponse:
    scope = _office(request)
    form = FigureForm(request.POST or None, initial={} if figure is None else {
        "code": figure.code, "name": figure.name, "measure": figure.measure, "source": str(figure.source_id),
        "frequency": figure.frequency, "amount": figure.amount, "description": figure.description})
    form.fields["source"].choices = _units(scope)  # type: ignore[attr-defined]
    if figure is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        source = sel.unit_get(scope=scope, pk=int(d["source"]))
        data = svc.FigureInput(code=d["code"] if figure is None else figure.code, name=d["name"],
                               measure=d["measure"], source=source, frequency=d["frequency"],
                               description=d["description"], amount=d["amount"])
        with form_refusals(form) as out:
            saved = svc.figure_save(actor=request.user, scope=scope, data=data, figure=figure)
        if out.ok:
            messages.success(request, f"已保存数据指标“{saved.name}”")
            return redirect("datatrust:figure", saved.pk)
    return render(request, "datatrust/figure_form.html", {"form": form, "figure": figure, "nav": "catalogue"},
                  status=400 if form.errors else 200)


@login_required
def figure_new(request: HttpRequest) -> HttpResponse:
    """新建数据指标."""
    return _figure_form_page(request, None)


@login_required
def figure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改数据指标."""
    return _figure_form_page(request, sel.figure_get(scope=_office(request), pk=pk))


def _figure_page(request: HttpRequest, figure: Figure, *, value_form: ValueForm | None = None,
                 bind_form: BindForm | None = None) -> HttpResponse:
    scope = scope_of(request)
    vf = value_form or ValueForm()
    _value_choices(vf, scope, figure)
    bf = bind_form or BindForm()
    bf.fields["leaf"].choices = sel.leaf_choices(scope=scope)  # type: ignore[attr-defined]
    bindings = list(figure.bindings.select_related("assessment__version"))
    names = sel.leaf_names([b.assessment for b in bindings])
    periods = dict(sel.figure_periods(figure))
    values = [(v, periods.get(v.period, v.period)) for v in sel.figure_values(figure)]
    return render(request, "datatrust/figure.html", {
        "figure": figure, "values": values,
        "bindings": [(b, names.get((b.assessment_id, b.indicator), b.indicator)) for b in bindings],
        "may_report": svc.may_report(scope, figure), "value_form": vf, "bind_form": bf,
        "nav": "catalogue"}, status=400 if (value_form and value_form.errors) or (bind_form and bind_form.errors)
        else 200)


def _value_choices(form: ValueForm, scope: Scope, figure: Figure) -> None:
    form.fields["unit"].choices = _units(scope)  # type: ignore[attr-defined]
    form.fields["period"].choices = sel.figure_periods(figure)  # type: ignore[attr-defined]


@login_required
def figure(request: HttpRequest, pk: int) -> HttpResponse:
    """一个数据指标: its values, entry, uses."""
    return _figure_page(request, sel.figure_get(scope=_member(request), pk=pk))


@login_required
@require_POST
def figure_value(request: HttpRequest, pk: int) -> HttpResponse:
    """报送或更正一个数值: written once, then to every scheme that uses the figure."""
    scope = _member(request)
    fig = sel.figure_get(scope=scope, pk=pk)
    if not svc.may_report(scope, fig):
        raise PermissionDenied(f"“{fig.name}”由 {fig.source.name} 报送")
    form = ValueForm(request.POST)
    _value_choices(form, scope, fig)
    if form.is_valid():
        d = form.cleaned_data
        unit = sel.unit_get(scope=scope, pk=int(d["unit"]))
        with form_refusals(form) as out:
            number: Decimal | None = parse_number(d["value"])
            done = svc.figure_value_record(actor=request.user, scope=scope, figure=fig, unit=unit,
                                           period=d["period"], value=number, note=d["note"])
        if out.ok:
            where = "、".join(f"{k}（{n}）" for k, n in done.written.items()) or "暂无引用的考核"
            messages.success(request, f"已报送；已写入：{where}")
            return redirect("datatrust:figure", fig.pk)
    return _figure_page(request, fig, value_form=form)


@login_required
@require_POST
def figure_bind(request: HttpRequest, pk: int) -> HttpResponse:
    """让考核方案的指标引用该数据指标."""
    scope = _office(request)
    fig = sel.figure_get(scope=scope, pk=pk)
    form = BindForm(request.POST)
    form.fields["leaf"].choices = sel.leaf_choices(scope=scope)  # type: ignore[attr-defined]
    if form.is_valid():
        code, indicator = form.cleaned_data["leaf"].split(":", 1)
        a = assessments_all(scope=scope).get(code=code)
        with form_refusals(form) as out:
            svc.figure_bind(actor=request.user, scope=scope, figure=fig, assessment=a, indicator=indicator)
        if out.ok:
            messages.success(request, "已建立引用")
            return redirect("datatrust:figure", fig.pk)
    return _figure_page(request, fig, bind_form=form)


@login_required
def lineage(request: HttpRequest, pk: int) -> HttpResponse:
    """数据血缘: where the figure is used and the ledger values written from it."""
    fig = sel.figure_get(scope=_member(request), pk=pk)
    return render(request, "datatrust/lineage.html", {"figure": fig, "uses": sel.figure_lineage(fig),
                                                      "nav": "catalogue"})


def _assessment(scope: Scope, code: str) -> Assessment:
    try:
        return assessments_all(scope=scope).get(code=code)
    except Assessment.DoesNotExist:
        raise Http404 from None


@login_required
def flags(request: HttpRequest, code: str) -> HttpResponse:
    """数据质量提示: the flags of the assessment's ledger, filtered; each explained and checkable."""
    scope = _office(request)
    a = _assessment(scope, code)
    rule = request.GET.get("rule", "")
    rule = rule if rule in RULE_NAMES else ""
    unchecked = request.GET.get("unchecked") == "1"
    rows, counts = sel.flags_review(scope=scope, assessment=a, rule=rule, unchecked=unchecked)
    return render(request, "datatrust/flags.html", {
        "assessment": a, "rows": rows, "counts": [(k, n, counts.get(k, 0)) for k, n in RULE_NAMES.items()],
        "rule": rule, "unchecked": unchecked, "nav": "flags"})


@login_required
@require_POST
def flag_check(request: HttpRequest, code: str) -> HttpResponse:
    """标记为已核查 (with a note; audited)."""
    scope = _office(request)
    a = _assessment(scope, code)
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写核查说明")
    else:
        with message_refusals(request) as out:
            svc.flag_check(actor=request.user, scope=scope, assessment=a, rule=form.cleaned_data["rule"],
                           value_id=form.cleaned_data["value_id"], note=form.cleaned_data["note"])
        if out.ok:
            messages.success(request, "已标记为已核查")
    return redirect("datatrust:flags", a.code)
