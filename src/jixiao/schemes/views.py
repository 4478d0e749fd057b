"""Scheme and period pages (office only): versions, import/export, the tree and YAML editors with
their live checks, adopting and switching versions, the what-if preview, opening and closing periods.

Views call services and selectors; a service's refusal becomes a form error or a message and the
page is shown again with what the user typed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import wraps
from typing import Any

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.core.errors import StaleEdit
from jixiao.core.exports import XLSX_TYPE
from jixiao.core.refusals import Outcome, form_refusals, message_refusals
from jixiao.engine.scheme.loader import SchemeError
from jixiao.org.scoping import scope_of
from jixiao.org.selectors import organisation_of
from jixiao.schemes import editor, selectors
from jixiao.schemes.catalog import catalog_for
from jixiao.schemes.format_help import help_anchor, render_format_help
from jixiao.schemes.forms import AssessmentForm, ImportForm, NoteForm, ReopenForm, YamlForm
from jixiao.schemes.messages import Message, chinese_problems
from jixiao.schemes.methods import METHODS, Param, method_label, rule_summary
from jixiao.schemes.models import Period, SchemeVersion
from jixiao.schemes.selectors import (
    assessments_of_scheme,
    assessments_with_periods,
    period_get,
    scheme_get,
    schemes_with_recent_versions,
    versions_page_of,
)
from jixiao.schemes.services import (
    SchemeInvalid,
    assessment_create,
    period_close,
    period_reopen_request,
    scheme_version_adopt,
    scheme_version_create,
)
from jixiao.schemes.services_extra import scheme_import, workbook_bytes

View = Callable[..., HttpResponse]
SCHEMES_PAGE = 10  # schemes on a page of the index
RECENT_VERSIONS = 5  # versions shown per scheme on the index; all on the scheme's own page
ASSESSMENTS_PAGE = 10
VERSIONS_PAGE = 20


def office_only(view: View) -> View:
    """Login required, and the office admin only (others get 403)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not scope_of(request).office:
            raise PermissionDenied(_("考核方案和考核期只有考核办管理员可以管理"))
        return view(request, *args, **kwargs)

    return wrapped


# --- reads for the pages -------------------------------------------------------------------------------


def version_get(request: HttpRequest, pk: int) -> SchemeVersion:
    """A version of a scheme of the user's organisation; 404 for another's."""
    return selectors.version_get(scope=scope_of(request), pk=pk)


def _period_get(request: HttpRequest, pk: int) -> Period:
    return period_get(scope=scope_of(request), pk=pk)


def _latest(version: SchemeVersion) -> SchemeVersion:
    latest = version.scheme.versions.order_by("-number").first()
    return latest or version


def _problem_rows(problems: list[Message], built: editor.Built | None = None,
                  form: editor.TreeForm | None = None) -> list[dict[str, Any]]:
    """Problems for display, in Chinese naming their place; in the tree editor each also names its
    row, instead of a line of the generated YAML."""
    out = []
    for p in problems:
        row = built.row_of(p.path) if built is not None and p.path else None
        out.append({"line": None if form is not None else p.line, "path": p.path, "where": p.where,
                    "message": p.message, "text": p.text, "row": row, "anchor": help_anchor(p.field)})
    return out


def _sum_rows(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict):
        return []
    return [{"s": s, "indent": f"{s.depth * 1.2:.1f}"} for s in editor.sums_check(data)]


def _check(text: str, data: Any, built: editor.Built | None = None,
           form: editor.TreeForm | None = None) -> dict[str, Any]:
    """The live check: sums per group and the engine's problems."""
    problems: list[Message] = []
    try:
        catalog_for(text)
    except SchemeError as e:
        problems = chinese_problems(e.problems, data)
    sums = _sum_rows(data)
    return {"sums": sums, "problems": _problem_rows(problems, built, form), "checked": True, "editing": True,
            "valid": not problems and all(r["s"].ok for r in sums)}


# --- index: schemes, assessments, periods --------------------------------------------------------------


def _index(request: HttpRequest, *, form: AssessmentForm | None = None,
           reopen: dict[int, ReopenForm] | None = None, status: int = 200) -> HttpResponse:
    scope = scope_of(request)
    schemes = Paginator(schemes_with_recent_versions(RECENT_VERSIONS, scope=scope), SCHEMES_PAGE).get_page(
        request.GET.get("page"))
    assessments = Paginator(assessments_with_periods(scope=scope), ASSESSMENTS_PAGE).get_page(request.GET.get("apage"))
    # A closed period shows its pending reopening request (one query, only when a period is closed).
    closed = [p for a in assessments for p in a.periods.all() if not p.is_open]
    pending = selectors.reopenings_pending_of([p.pk for p in closed])
    for p in closed:
        p.pending_reopenings = [pending[p.pk]] if p.pk in pending else []  # type: ignore[attr-defined]
    return render(request, "schemes/index.html", {
        "schemes": schemes, "assessments": assessments, "form": form or AssessmentForm(scope=scope),
        "reopen_forms": reopen or {}, "recent_versions": RECENT_VERSIONS,
        "schemes_query": _query(request, "page"), "assessments_query": _query(request, "apage"),
    }, status=status)


def _query(request: HttpRequest, drop: str) -> str:
    """The page's query string without one pager's parameter (each list pages on its own)."""
    q = request.GET.copy()
    q.pop(drop, None)
    return q.urlencode()


@office_only
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


@office_only
@require_GET
def scheme_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of one scheme, newest first, a page at a time."""
    scheme = scheme_get(scope=scope_of(request), pk=pk)
    page = Paginator(versions_page_of(scheme), VERSIONS_PAGE).get_page(request.GET.get("page"))
    return render(request, "schemes/versions.html", {"scheme": scheme, "page": page})


@office_only
@require_POST
def assessment_new(request: HttpRequest) -> HttpResponse:
    form = AssessmentForm(request.POST, scope=scope_of(request))
    if form.is_valid():
        with form_refusals(form) as outcome:
            a = assessment_create(actor=request.user, code=form.cleaned_data["code"], name=form.cleaned_data["name"],
                                  year=form.cleaned_data["year"], version=form.cleaned_data["version"])
        if outcome.ok:
            messages.success(request, _("已建立考核 %(name)s，共 %(n)d 个考核期") % {"name": a.name,
                                                                          "n": a.periods.count()})
            return redirect("schemes:index")
    return _index(request, form=form, status=400)


@office_only
@require_POST
def period_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period_get(request, pk)
    with message_refusals(request) as outcome:
        period_close(actor=request.user, period=period)
    if outcome.ok:
        messages.success(request, _("%(name)s 已关闭，此后不能再修改该期数据") % {"name": period.name})
    return redirect(reverse("schemes:index") + f"#assessment-{period.assessment_id}")


@office_only
@require_POST
def period_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period_get(request, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        with form_refusals(form) as outcome:
            period_reopen_request(actor=request.user, period=period, reason=form.cleaned_data["reason"])
        if outcome.ok:
            messages.success(request, _("已申请重新开放 %(name)s，须由另一位考核办管理员或考核领导小组成员批准")
                             % {"name": period.name})
            return redirect(reverse("schemes:index") + f"#assessment-{period.assessment_id}")
    return _index(request, reopen={period.pk: form}, status=400)


# --- import and export ---------------------------------------------------------------------------------


@office_only
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    problems: list[dict[str, Any]] = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, scope=scope_of(request))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with form_refusals(form) as outcome:
                version = scheme_import(actor=request.user, filename=upload.name, content=upload.read(),
                                        scheme=form.cleaned_data["scheme"], code=form.cleaned_data["code"],
                                        name=form.cleaned_data["name"], note=form.cleaned_data["note"],
                                        organisation=organisation_of(scope=scope_of(request)))
            if isinstance(outcome.error, SchemeInvalid):
                problems = _problem_rows(outcome.error.messages)
            if outcome.ok:
                messages.success(request, _("已导入为 %(v)s（草稿）") % {"v": version})
                return redirect("schemes:version", pk=version.pk)
    else:
        form = ImportForm(initial={"scheme": request.GET.get("scheme") or None}, scope=scope_of(request))
    return render(request, "schemes/import.html", {"form": form, "problems": problems},
                  status=400 if problems or form.errors else 200)


def _attachment(filename: str) -> str:
    return f'attachment; filename="{filename}"'


@office_only
@require_GET
def version_yaml(request: HttpRequest, pk: int) -> HttpResponse:
    v = version_get(request, pk)
    resp = HttpResponse(v.text, content_type="application/yaml; charset=utf-8")
    resp["Content-Disposition"] = _attachment(f"{v.scheme.code}-v{v.number}.yaml")
    return resp


@office_only
@require_GET
def version_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    v = version_get(request, pk)
    resp = HttpResponse(workbook_bytes(v.text), content_type=XLSX_TYPE)
    resp["Content-Disposition"] = _attachment(f"{v.scheme.code}-v{v.number}.xlsx")
    return resp


@office_only
@require_GET
def blank_template(request: HttpRequest) -> HttpResponse:
    resp = HttpResponse(workbook_bytes(None), content_type=XLSX_TYPE)
    resp["Content-Disposition"] = _attachment("scheme-template.xlsx")
    return resp


# --- a version: tree, adopt, switch, what-if -----------------------------------------------------------


def _param(p: Param, value: str) -> dict[str, Any]:
    # a value the choices do not list stays selectable, so saving never drops it unseen
    choices = [*p.choices, *([(value, value)] if value and value not in dict(p.choices) else [])]
    return {"p": p, "value": value, "rows": min(max(2, value.count("\n") + 1), 12), "choices": choices}


def _tree_rows(form: editor.TreeForm) -> list[dict[str, Any]]:
    out = []
    for i, row in enumerate(form.rows):
        group = form.is_group(i)
        method = "" if group else row.value("method")
        spec = METHODS.get(method)
        out.append({
            "i": i, "row": row, "group": group, "indent": f"{row.depth * 1.2:.1f}",
            "v": {name: row.value(name) for name in (*editor.NODE_FIELDS, "method")},
            "method": method, "method_label": method_label(method), "method_help": spec.help if spec else "",
            "params": [_param(p, row.value(p.name)) for p in spec.params] if spec and not group else [],
            "summary": "" if group else rule_summary(row.original.get("rule")),
            "help_anchor": help_anchor("method", method), "fixed": not group and row.fixed_rule,
        })
    return out


def _categories(form: editor.TreeForm) -> list[dict[str, Any]]:
    rows = _tree_rows(form)
    return [{"c": c, "rows": [r for r in rows if r["row"].cat == c.index]} for c in form.categories]


@office_only
@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    v = version_get(request, pk)
    data = yaml.safe_load(v.text)
    form = editor.form_from_scheme(data)
    assessments = list(assessments_of_scheme(scope=scope_of(request), scheme=v.scheme))
    return render(request, "schemes/version.html", {
        "v": v, "latest": _latest(v), "categories": _categories(form), "sums": _sum_rows(data),
        "scheme": catalog_for(v.text).scheme, "versions": v.scheme.versions.order_by("-number"),
        "using": [a for a in assessments if a.version_id == v.pk],
        "others": [a for a in assessments if a.version_id != v.pk],
    })


@office_only
@require_POST
def version_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    v = version_get(request, pk)
    with message_refusals(request) as outcome:
        scheme_version_adopt(actor=request.user, version=v)
    if outcome.ok:
        messages.success(request, _("v%(n)d 已启用并冻结") % {"n": v.number})
    return redirect("schemes:version", pk=v.pk)


# --- the tree editor -----------------------------------------------------------------------------------


def _editor_context(v: SchemeVersion, form: editor.TreeForm, *, check: bool = True) -> dict[str, Any]:
    base = yaml.safe_load(v.text)
    built = editor.scheme_from_form(base, form)
    text = editor.dump_yaml(built.data)
    ctx: dict[str, Any] = {"v": v, "latest": _latest(v), "categories": _categories(form),
                           "n_rows": len(form.rows), "n_cats": len(form.categories),
                           "methods": [(m.code, m.label) for m in METHODS.values()]}
    if check:
        ctx.update(_check(text, built.data, built, form))
    return ctx


@office_only
@require_http_methods(["GET", "POST"])
def tree_edit(request: HttpRequest, pk: int) -> HttpResponse:
    v = version_get(request, pk)
    if request.method == "GET":
        form = editor.form_from_scheme(yaml.safe_load(v.text))
        return render(request, "schemes/editor.html", {**_editor_context(v, form), "note": ""})
    form = editor.form_from_post(request.POST)
    note_form = NoteForm(request.POST)
    note = request.POST.get("note", "")[:300]
    built = editor.scheme_from_form(yaml.safe_load(v.text), form)
    text = editor.dump_yaml(built.data)
    with form_refusals(note_form) as outcome:
        new = scheme_version_create(actor=request.user, based_on=v, text=text, note=note)
    if outcome.ok:
        messages.success(request, _("已保存为 v%(n)d（草稿）") % {"n": new.number})
        return redirect("schemes:version", pk=new.pk)
    return render(request, "schemes/editor.html", {**_editor_context(v, form), "note": note,
                                                   "error": _save_error(outcome)}, status=_save_status(outcome))


def _save_error(outcome: Outcome) -> str:
    return outcome.error.message if outcome.error is not None else ""


def _save_status(outcome: Outcome) -> int:
    return 409 if isinstance(outcome.error, StaleEdit) else 400


_ROW_OPS: dict[str, Callable[[editor.TreeForm, int], editor.TreeForm]] = {
    "add_child": editor.add_child, "add_sibling": editor.add_sibling, "delete": editor.delete_row,
    "add_top": editor.add_top,
}


@office_only
@require_POST
def tree_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the rows after adding or deleting one (or re-shown after a method change), and the check."""
    v = version_get(request, pk)
    form = editor.form_from_post(request.POST)
    op = _ROW_OPS.get(request.POST.get("op", ""))
    if op is not None:
        with contextlib.suppress(ValueError):
            form = op(form, int(request.POST.get("row", "")))
    return render(request, "schemes/_tree_rows.html", {**_editor_context(v, form), "oob": True})


@office_only
@require_POST
def tree_check(request: HttpRequest, pk: int) -> HttpResponse:
    v = version_get(request, pk)
    form = editor.form_from_post(request.POST)
    return render(request, "schemes/_check.html", _editor_context(v, form))


# --- the YAML editor -----------------------------------------------------------------------------------


def _yaml_check(text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    return _check(text, data)


@office_only
@require_http_methods(["GET", "POST"])
def yaml_edit(request: HttpRequest, pk: int) -> HttpResponse:
    v = version_get(request, pk)
    status = 200
    error = ""
    if request.method == "POST":
        form = YamlForm(request.POST)
        if form.is_valid():
            with form_refusals(form) as outcome:
                new = scheme_version_create(actor=request.user, based_on=v, text=form.cleaned_data["text"],
                                            note=form.cleaned_data["note"])
            if outcome.ok:
                messages.success(request, _("已保存为 v%(n)d（草稿）") % {"n": new.number})
                return redirect("schemes:version", pk=new.pk)
            status = _save_status(outcome)
        else:
            status = 400
        text = request.POST.get("text", "")
    else:
        form = YamlForm(initial={"text": v.text})
        text = v.text
    return render(request, "schemes/yaml.html", {"v": v, "latest": _latest(v), "form": form, "error": error,
                                                 **_yaml_check(text)}, status=status)


@office_only
@require_POST
def yaml_check(request: HttpRequest, pk: int) -> HttpResponse:
    version_get(request, pk)
    return render(request, "schemes/_check.html", _yaml_check(request.POST.get("text", "")))


# --- the format's help ---------------------------------------------------------------------------------


@office_only
@require_GET
def format_help(request: HttpRequest) -> HttpResponse:
    """考核方案格式说明: docs/scheme-format.md inside the layout, its sections anchored."""
    try:
        doc = render_format_help()
    except FileNotFoundError:
        raise Http404(_("格式说明文件不在本服务器上（docs/scheme-format.md），请联系系统管理员")) from None
    return render(request, "schemes/format_help.html", doc)
