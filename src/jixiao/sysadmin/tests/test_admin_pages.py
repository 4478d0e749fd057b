"""The system administrator's pages: units, people, accounts and roles of his organisation, written
through the services and audited; deactivation ends sessions; a reset password must be changed
at the next login; the bulk import of units and people is all-or-nothing with located errors."""

from __future__ import annotations

import html
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from jixiao.audit.models import AuditEntry
from jixiao.org.models import Person, RoleGrant, Unit

from .world import admins

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Fresh-Start-2026"


def _workbook(units: list[list[Any]], people: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "单位"
    ws.append(["编码", "名称", "类型", "上级单位编码", "排序"])
    for r in units:
        ws.append(r)
    ws2 = wb.create_sheet("人员")
    ws2.append(["编码", "姓名", "所在单位编码", "层级", "职务"])
    for r in people:
        ws2.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_system_administrator_builds_units_people_and_accounts(cast: Any, client: Any) -> None:
    a = admins(cast)
    client.force_login(a.sysadmin)
    r = client.post("/system/units/", {"code": "north", "name": "北镇", "kind": "town", "parent": cast.county.pk})
    assert r.status_code == 302
    north = Unit.objects.get(code="north")
    assert north.organisation_id == cast.county.organisation_id and north.level == 2
    r = client.post("/system/people/", {"code": "p-wang", "name": "王五", "unit": north.pk, "level": "staff",
                                        "title": "科员"})
    assert r.status_code == 302
    wang = Person.objects.get(code="p-wang")
    # A weak password is refused at its field, in Chinese; nothing is written.
    r = client.post("/system/accounts/", {"username": "wangwu", "password": "123456", "person": wang.pk})
    assert r.status_code == 400 and "至少需要 8 个字符" in r.content.decode()
    r = client.post("/system/accounts/", {"username": "wangwu", "password": NEW_PASSWORD, "person": wang.pk,
                                          "display_name": "王五", "role": "unit_reporter", "unit": north.pk})
    user = User.objects.get(username="wangwu")
    assert r.status_code == 302 and r["Location"] == f"/system/accounts/{user.pk}/"
    assert user.person == wang and user.security.must_change_password
    assert RoleGrant.objects.filter(user=user, role="unit_reporter", unit=north).exists()
    # Neither the account list nor a picker shows another organisation's.
    page = client.get("/system/accounts/").content.decode()
    assert "wangwu" in page and "leader" in page
    # Usernames are unique whatever their case.
    r = client.post("/system/accounts/", {"username": "WangWu", "password": NEW_PASSWORD, "role": "office_admin"})
    assert r.status_code == 400 and "不区分大小写" in r.content.decode()
    # A category and an object of the organisation.
    assert client.post("/system/categories/", {"code": "dept", "name": "部门", "subject": "unit"}).status_code == 302
    cat = cast.county.organisation.categories.get(code="dept")
    assert client.post("/system/objects/", {"code": "north", "name": "北镇", "category": cat.pk,
                                            "unit": north.pk}).status_code == 302
    actions = set(AuditEntry.objects.filter(actor_label="sysadm").values_list("action", "target"))
    assert {("create", "org.unit"), ("create", "org.person"), ("create", "auth.user"), ("grant", "org.rolegrant"),
            ("create", "org.category"), ("create", "org.assessedobject")} <= actions


def test_disable_reset_and_grants(cast: Any, client: Any) -> None:
    a = admins(cast)
    leader = Client()
    leader.force_login(cast.leader)
    assert leader.get("/").status_code == 200
    client.force_login(a.sysadmin)
    r = client.post(f"/system/accounts/{cast.leader.pk}/disable", follow=True)
    assert "其所有会话已结束" in r.content.decode()
    assert not User.objects.get(pk=cast.leader.pk).is_active
    assert leader.get("/").status_code == 302  # his session is gone server-side
    assert not any(str(s.get_decoded().get("_auth_user_id")) == str(cast.leader.pk) for s in Session.objects.all())
    client.post(f"/system/accounts/{cast.leader.pk}/enable")
    assert User.objects.get(pk=cast.leader.pk).is_active
    # Reset: a temporary password shown once; the next login must change it first.
    r = client.post(f"/system/accounts/{cast.leader.pk}/reset", follow=True)
    text = r.content.decode()
    temporary = html.unescape(text.split("临时密码：", 1)[1].split("（", 1)[0])  # "&" is "&amp;" in the page
    fresh = Client()
    assert fresh.post("/login/", {"username": "leader", "password": temporary}).status_code == 302
    r = fresh.get("/results/")
    assert r.status_code == 302 and r["Location"] == "/account/password/"
    # Grants: added and withdrawn; the three administrators' roles are not given from the browser.
    r = client.post(f"/system/accounts/{cast.outsider.pk}/", {"role": "leader", "unit": cast.west.pk})
    assert r.status_code == 404  # the outsider belongs to no organisation: not one of this one's accounts
    r = client.post(f"/system/accounts/{cast.reporter.pk}/", {"role": "audit_admin"})
    assert r.status_code == 400  # not a choice of the form
    r = client.post(f"/system/accounts/{cast.reporter.pk}/", {"role": "leader", "unit": cast.west.pk})
    assert r.status_code == 302
    grant = RoleGrant.objects.get(user=cast.reporter, role="leader")
    client.post(f"/system/grants/{grant.pk}/remove")
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert AuditEntry.objects.filter(action="grant_remove", actor_label="sysadm").exists()
    # The three administrators' accounts are not managed here (三员分立), nor his own.
    assert client.post(f"/system/accounts/{a.auditor.pk}/disable").status_code == 403
    assert client.post(f"/system/accounts/{a.sysadmin.pk}/reset").status_code == 403
    assert User.objects.get(pk=a.auditor.pk).is_active


def test_item_08_the_three_roles_stay_apart_in_the_browser(cast: Any, client: Any) -> None:
    from jixiao.core.errors import NotAllowed
    from jixiao.org.selectors import scope_for_user
    from jixiao.sysadmin.services import role_grant

    a = admins(cast)
    scope = scope_for_user(a.sysadmin)
    for role in (RoleGrant.Role.SECURITY_ADMIN, RoleGrant.Role.AUDIT_ADMIN, RoleGrant.Role.SYSTEM_ADMIN):
        with pytest.raises(NotAllowed):
            role_grant(actor=a.sysadmin, scope=scope, user=cast.reporter, role=role, unit=None)
    for user in (a.secadmin, a.auditor):
        client.force_login(user)
        assert client.get("/system/accounts/").status_code == 403
    client.force_login(a.sysadmin)
    assert client.get("/audit/").status_code == 403 and client.get("/system/security/").status_code == 403


def test_bulk_import_of_units_and_people(cast: Any, client: Any) -> None:
    a = admins(cast)
    client.force_login(a.sysadmin)
    bad = _workbook([["south", "南镇", "乡镇", "county", 1], ["south-a", "南镇党政办", "办公室", "south", None],
                     ["east", "重复", "乡镇", "county", None], ["lone", "孤岛", "部门", "nowhere", None]],
                    [["p1", "赵一", "south", "一般人员", "科员"], ["p2", "", "mars", "大领导", ""]])
    r = client.post("/system/import/", {"file": SimpleUploadedFile("org.xlsx", bad)})
    text = r.content.decode()
    assert r.status_code == 400 and "未导入任何数据" in text
    for located in ("类型“办公室”无效", "单位编码 east 已存在", "上级单位 nowhere 不存在", "姓名不能为空",
                    "所在单位 mars 不存在", "层级“大领导”无效"):
        assert located in text, located
    assert "<td>单位</td><td>3</td><td>C</td>" in text  # sheet, row, column of 办公室
    assert not Unit.objects.filter(code="south").exists() and not Person.objects.filter(code="p1").exists()
    good = _workbook([["south", "南镇", "乡镇", "county", 1], ["south-a", "南镇党政办", "科室", "south", None]],
                     [["p1", "赵一", "south-a", "一般人员", "科员"], [20250001, "钱二", "east", "中层正职", "站长"]])
    r = client.post("/system/import/", {"file": SimpleUploadedFile("org.xlsx", good)}, follow=True)
    assert "已导入 2 个单位、2 名人员" in r.content.decode()
    assert Unit.objects.get(code="south-a").level == 3 and Person.objects.get(code="20250001").level == "head"
    assert AuditEntry.objects.filter(action="import", outcome="success").count() == 1
    assert AuditEntry.objects.filter(action="import", outcome="failure").count() == 1
    # The upload gate comes first: not a workbook → refused at the field.
    r = client.post("/system/import/", {"file": SimpleUploadedFile("org.xlsx", b"not a zip")})
    assert r.status_code == 400 and "不是有效的 .xlsx" in r.content.decode()
    assert client.get("/system/import/template").status_code == 200


def test_item_12_an_account_unused_for_90_days_is_disabled_at_login_and_by_the_command(cast: Any,
                                                                                        settings: Any) -> None:
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    now = timezone.now()
    User.objects.filter(pk=cast.leader.pk).update(last_login=now - timedelta(days=91))
    r = Client().post("/login/", {"username": "leader", "password": "cast-password-1"})
    assert r.status_code == 200  # the login form again, as for a wrong password
    assert not User.objects.get(pk=cast.leader.pk).is_active
    entry = AuditEntry.objects.get(action="account_disable", target_id=str(cast.leader.pk))
    assert entry.actor_label == "停用长期未使用账号"
    User.objects.filter(pk=cast.stats.pk).update(last_login=now - timedelta(days=100))
    settings.JIXIAO_ACCOUNT_INACTIVE_DAYS = 120
    call_command("accounts_disable_inactive")
    assert User.objects.get(pk=cast.stats.pk).is_active
    settings.JIXIAO_ACCOUNT_INACTIVE_DAYS = 90
    call_command("accounts_disable_inactive")
    assert not User.objects.get(pk=cast.stats.pk).is_active
    # Enabled again by the system administrator, it is not disabled again at once.
    a = admins(cast)
    c = Client()
    c.force_login(a.sysadmin)
    c.post(f"/system/accounts/{cast.leader.pk}/enable")
    assert Client().post("/login/", {"username": "leader", "password": "cast-password-1"}).status_code == 302


def test_item_12_check_deploy_names_a_demo_account_with_its_published_password(cast: Any, settings: Any) -> None:
    from jixiao.demo.builder import PASSWORD
    from jixiao.demo.checks import no_demo_accounts_in_production
    from jixiao.org import services as org

    fgld = org.account_create(actor=None, username="fgld", password=PASSWORD)
    assert no_demo_accounts_in_production() == []  # development: the demo is welcome
    settings.PRODUCTION = True
    [warning] = no_demo_accounts_in_production()
    assert warning.id == "jixiao.W002" and "fgld" in warning.msg
    org.password_reset(actor=None, user=fgld, new_password="Not-The-Demo-2026")
    assert no_demo_accounts_in_production() == []


def test_item_03_the_security_administrator_unlocks_a_locked_out_account(cast: Any) -> None:
    a = admins(cast)
    for _ in range(5):
        Client().post("/login/", {"username": "leader", "password": "Wrong-Pass-2026"})
    assert Client().post("/login/", {"username": "leader", "password": "cast-password-1"}).status_code != 302
    sec = Client()
    sec.force_login(a.secadmin)
    assert "登录失败已锁定" in sec.get("/system/security/").content.decode()
    sec.post(f"/system/security/{cast.leader.pk}/unlock")
    assert Client().post("/login/", {"username": "leader", "password": "cast-password-1"}).status_code == 302
    assert AuditEntry.objects.filter(action="account_unlock", actor_label="secadm").exists()


def test_item_10_the_administration_pages_keep_to_the_organisation(cast: Any, other_org: Any, client: Any) -> None:
    a = admins(cast)
    client.force_login(a.sysadmin)
    for url in ("/system/accounts/", "/system/units/", "/system/people/", "/system/objects/"):
        page = client.get(url).content.decode()
        assert "city_reporter" not in page and "预算科" not in page and "测试市财政局" not in page, url
    assert client.get(f"/system/accounts/{other_org.reporter.pk}/").status_code == 404
    assert client.post(f"/system/accounts/{other_org.reporter.pk}/disable").status_code == 404
    # A unit of the other organisation is no choice of the forms.
    r = client.post("/system/people/", {"code": "p-x", "name": "某人", "unit": other_org.section.pk, "level": "staff"})
    assert r.status_code == 400 and not Person.objects.filter(code="p-x").exists()
    r = client.post(f"/system/accounts/{cast.reporter.pk}/", {"role": "leader", "unit": other_org.section.pk})
    assert r.status_code == 400
    sec = Client()
    sec.force_login(a.secadmin)
    assert sec.post(f"/system/security/{other_org.reporter.pk}/lock").status_code == 404
    assert User.objects.get(pk=other_org.reporter.pk).is_active
