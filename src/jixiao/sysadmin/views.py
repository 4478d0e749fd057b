"""系统管理: the system administrator's pages (units, people, accounts and their roles, categories,
assessed objects, bulk import), all of the current organisation. Reads through selectors, each
write one service call; refused to everyone but the system administrator (三员分立)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.audit.services import audit_event
from jixiao.core.refusals import form_refusals, message_refusals
from jixiao.org.models import RoleGrant
from jixiao.org.scoping import Scope, scope_of
from jixiao.org.selectors import categories_all, organisation_of
from jixiao.org.services import (
    THREE_ADMINS,
    account_disable,
    account_enable,
    category_create,
    grant_remove,
    object_create,
    password_reset,
    person_create,
    unit_create,
)
from jixiao.sysadmin import forms as f
from jixiao.sysadmin.importing import org_import, template_workbook
from jixiao.sysadmin.selectors import (
    account_of_org_get,
    accounts_of_org,
    grant_of_org_get,
    objects_all_of_org,
    people_of_org,
    units_tree_of_org,
)
from jixiao.sysadmin.services import account_provision, password_generate, refuse_three_admins, role_grant

PAGE = 100
TABS = (("system:accounts", "账号"), ("system:units", "单位"), ("system:people", "人员"),
        ("system:categories", "考核对象类别"), ("system:objects", "考核对象"), ("system:import", "批量导入"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sysadmin(request: HttpRequest) -> Scope:
    scope = scope_of(request)
    if RoleGrant.Role.SYSTEM_ADMIN not in scope.roles:
        raise PermissionDenied("只有系统管理员可以管理单位、人员和账号")
    return scope


def _page(request: HttpRequest, scope: Scope, tab: str, title: str, form: forms.Form | None,
          headers: list[str], rows: Any, cells: Callable[[Any], list[Any]], status: int = 200,
          **extra: Any) -> HttpResponse:
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "sysadmin/list.html", {
        "tabs": TABS, "tab": tab, "title": title, "form": form, "headers": headers, "page": page,
        "rows": [[c if isinstance(c, tuple) else (c, "") for c in cells(r)] for r in page.object_list],
        "organisation": organisation_of(scope=scope), **extra,
    }, status=status)


def _posted(request: HttpRequest, form: forms.Form, write: Callable[[dict[str, Any]], Any],
            message: Callable[[Any], str], then: Callable[[Any], HttpResponse]) -> HttpResponse | None:
    """A form's POST: the one service call inside the form's refusals; on success a message and the
    next page, else None (the form is shown again with its errors, status 400)."""
    if not form.is_valid():
        return None
    with form_refusals(form) as outcome:
        made = write(form.cleaned_data)
    if not outcome.ok:
        return None
    messages.success(request, message(made))
    return then(made)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _sysadmin(request)
    return redirect("system:accounts")


def _roles(user: Any) -> str:
    return "、".join(f"{g.get_role_display()}{'（' + g.unit.name + '）' if g.unit else ''}" for g in user.grants.all())


@login_required
@require_http_methods(["GET", "POST"])
def accounts(request: HttpRequest) -> HttpResponse:
    scope = _sysadmin(request)
    form = f.AccountForm(request.POST or None, scope=scope)
    if request.method == "POST" and (done := _posted(
            request, form,
            lambda d: account_provision(actor=request.user, scope=scope, username=d["username"].strip(),
                                        password=d["password"], display_name=d["display_name"], person=d["person"],
                                        role=d["role"], unit=d["unit"]),
            lambda user: f"已新建账号 {user.username}，首次登录须修改密码。",
            lambda user: redirect("system:account", user.pk))):
        return done
    status = 400 if request.method == "POST" else 200

    def cells(u: Any) -> list[Any]:
        person = getattr(u, "person", None)
        return [(u.username, f"/system/accounts/{u.pk}/"), u.first_name, person.name if person else "",
                _roles(u), "正常" if u.is_active else "已停用",
                u.last_login.strftime("%Y-%m-%d") if u.last_login else "从未登录"]

    return _page(request, scope, "system:accounts", "账号", form,
                 ["用户名", "显示名称", "人员", "角色", "状态", "最近登录"], accounts_of_org(scope=scope), cells,
                 status=status, form_title="新建账号")


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _sysadmin(request)
    user = account_of_org_get(scope=scope, pk=pk)
    form = f.GrantForm(request.POST or None, scope=scope)

    def grant(d: dict[str, Any]) -> Any:
        refuse_three_admins(user)
        return role_grant(actor=request.user, scope=scope, user=user, role=d["role"], unit=d["unit"])

    if request.method == "POST" and (done := _posted(request, form, grant, lambda _g: "已授权。",
                                                     lambda _g: redirect("system:account", user.pk))):
        return done
    status = 400 if request.method == "POST" else 200
    grants = list(user.grants.all())
    three = any(g.role in THREE_ADMINS for g in grants)
    return render(request, "sysadmin/account.html", {
        "tabs": TABS, "tab": "system:accounts", "account": user, "grants": grants, "form": form,
        "manageable": not three and user.pk != request.user.pk, "organisation": organisation_of(scope=scope),
    }, status=status)


def _account_action(request: HttpRequest, pk: int, act: Callable[[Any], str]) -> HttpResponse:
    scope = _sysadmin(request)
    user = account_of_org_get(scope=scope, pk=pk)
    with message_refusals(request):
        refuse_three_admins(user)
        messages.success(request, act(user))
    return redirect("system:account", user.pk)


@login_required
@require_POST
def account_disable_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: Any) -> str:
        account_disable(actor=request.user, user=user)
        return f"已停用账号 {user.username}，其所有会话已结束。"
    return _account_action(request, pk, act)


@login_required
@require_POST
def account_enable_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: Any) -> str:
        account_enable(actor=request.user, user=user)
        return f"已启用账号 {user.username}。"
    return _account_action(request, pk, act)


@login_required
@require_POST
def account_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: Any) -> str:
        temporary = password_generate()
        password_reset(actor=request.user, user=user, new_password=temporary)
        return (f"已重置 {user.username} 的密码，临时密码：{temporary}"
                "（仅显示这一次，请当面或电话告知本人；首次登录须修改）")
    return _account_action(request, pk, act)


@login_required
@require_POST
def grant_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _sysadmin(request)
    grant = grant_of_org_get(scope=scope, pk=pk)
    with message_refusals(request):
        refuse_three_admins(grant.user)
        grant_remove(actor=request.user, grant=grant)
        messages.success(request, "已撤销授权。")
    return redirect("system:account", grant.user_id)


@login_required
@require_http_methods(["GET", "POST"])
def units(request: HttpRequest) -> HttpResponse:
    scope = _sysadmin(request)
    form = f.UnitForm(request.POST or None, scope=scope)
    if request.method == "POST" and (done := _posted(
            request, form,
            lambda d: unit_create(actor=request.user, code=d["code"], name=d["name"], kind=d["kind"],
                                  parent=d["parent"], position=d["position"] or 0),
            lambda unit: f"已新建单位 {unit.name}。", lambda _u: redirect("system:units"))):
        return done
    status = 400 if request.method == "POST" else 200
    return _page(request, scope, "system:units", "单位", form, ["名称", "类型", "上级单位", "层级", "编码"],
                 units_tree_of_org(scope=scope),
                 lambda u: [u.name, u.get_kind_display(), u.parent.name if u.parent else "", u.level, u.code],
                 status=status, form_title="新建单位")


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    scope = _sysadmin(request)
    form = f.PersonForm(request.POST or None, scope=scope)
    if request.method == "POST" and (done := _posted(
            request, form,
            lambda d: person_create(actor=request.user, code=d["code"], name=d["name"], unit=d["unit"],
                                    level=d["level"], title=d["title"]),
            lambda person: f"已新建人员 {person.name}。", lambda _p: redirect("system:people"))):
        return done
    status = 400 if request.method == "POST" else 200
    return _page(request, scope, "system:people", "人员", form, ["姓名", "单位", "层级", "职务", "账号", "编码"],
                 people_of_org(scope=scope),
                 lambda p: [p.name, p.unit.name, p.get_level_display(), p.title,
                            (p.user.username, f"/system/accounts/{p.user_id}/") if p.user_id else "", p.code],
                 status=status, form_title="新建人员")


@login_required
@require_http_methods(["GET", "POST"])
def categories(request: HttpRequest) -> HttpResponse:
    scope = _sysadmin(request)
    form = f.CategoryForm(request.POST or None)
    if request.method == "POST" and (done := _posted(
            request, form,
            lambda d: category_create(actor=request.user, code=d["code"], name=d["name"], subject=d["subject"],
                                      position=d["position"] or 0, organisation=organisation_of(scope=scope)),
            lambda cat: f"已新建考核对象类别 {cat.name}。", lambda _c: redirect("system:categories"))):
        return done
    status = 400 if request.method == "POST" else 200
    return _page(request, scope, "system:categories", "考核对象类别", form, ["名称", "考核对象", "编码"],
                 categories_all(scope=scope), lambda c: [c.name, c.get_subject_display(), c.code],
                 status=status, form_title="新建类别")


@login_required
@require_http_methods(["GET", "POST"])
def objects(request: HttpRequest) -> HttpResponse:
    scope = _sysadmin(request)
    form = f.ObjectForm(request.POST or None, scope=scope)
    if request.method == "POST" and (done := _posted(
            request, form,
            lambda d: object_create(actor=request.user, code=d["code"], name=d["name"], category=d["category"],
                                    unit=d["unit"], person=d["person"], group=d["group"]),
            lambda obj: f"已新建考核对象 {obj.name}。", lambda _o: redirect("system:objects"))):
        return done
    status = 400 if request.method == "POST" else 200
    return _page(request, scope, "system:objects", "考核对象", form, ["名称", "类别", "所在单位", "排名组", "编码"],
                 objects_all_of_org(scope=scope),
                 lambda o: [o.name, o.category.name, o.unit.name, o.group, o.code], status=status,
                 form_title="新建考核对象")


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    scope = _sysadmin(request)
    form = f.ImportForm(request.POST or None, request.FILES or None)
    errors: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with form_refusals(form) as outcome:
                parsed = org_import(actor=request.user, scope=scope, name=upload.name, data=upload.read())
            if outcome.ok and not parsed.errors:
                messages.success(request, f"已导入 {len(parsed.units)} 个单位、{len(parsed.people)} 名人员。")
                return redirect("system:import")
            errors = parsed.errors if outcome.ok else []
        status = 400
    return render(request, "sysadmin/import.html", {"tabs": TABS, "tab": "system:import", "form": form,
                                                    "errors": errors,
                                                    "organisation": organisation_of(scope=scope)}, status=status)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _sysadmin(request)
    audit_event(actor=request.user, action="export", target="org.unit", summary="下载单位人员导入模板")
    response = HttpResponse(template_workbook(), content_type=XLSX)
    name = quote("单位人员导入模板.xlsx")
    response["Content-Disposition"] = f"attachment; filename=\"org-import.xlsx\"; filename*=UTF-8''{name}"
    response["Cache-Control"] = "no-store"
    return response
