"""Delegated assessment (四级考核): a unit head files his own rules (考评细则) for assessing his
sections and staff with the office (备案); the office accepts them or returns them with a comment.
A scheme file in the engine's format, when given, is checked on saving and registered on
acceptance as a draft scheme of the organisation (``schemes.services.scheme_create``), from which
the office adopts a version and opens the unit's assessment as for any scheme."""

from __future__ import annotations

from django.db import transaction

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.core.errors import NotAllowed, ServiceError, StaleEdit
from jixiao.engine.scheme.loader import SchemeError
from jixiao.org.models import Unit
from jixiao.org.scoping import Scope, require_org
from jixiao.planning.models import DelegatedScheme
from jixiao.planning.services.common import step_add
from jixiao.schemes.catalog import catalog_for
from jixiao.schemes.services import SchemeInvalid, scheme_create, scheme_data

S = DelegatedScheme.State


def _check_text(text: str) -> None:
    try:
        catalog_for(text)
    except SchemeError as e:
        raise SchemeInvalid(e, scheme_data(text), field="scheme_text") from None


@transaction.atomic
def delegated_save(*, actor: Actor, scope: Scope, unit: Unit, year: int, title: str, content: str,
                   scheme_text: str = "", submit: bool = False, delegated: DelegatedScheme | None = None,
                   expected_version: int | None = None) -> DelegatedScheme:
    """编制 / 报备: the unit head writes his unit's rules for the year, as a draft or filed."""
    require_org(scope, unit.organisation_id)
    if unit.pk not in scope.head_units:
        raise NotAllowed(f"只有 {unit.name} 的负责人可以制定并报备本单位的考评细则")
    if not title.strip():
        raise ServiceError("请填写细则名称", field="title")
    if len(content.strip()) < 20:
        raise ServiceError("请写明考评细则的内容（考核对象、指标、分值和计分办法），不少于20字", field="content")
    text = scheme_text.strip()
    if text:
        _check_text(text + "\n")
    if delegated is None:
        if DelegatedScheme.objects.filter(unit=unit, year=year).exists():
            raise ServiceError(f"{unit.name} 已有 {year} 年度的考评细则，请在原细则上修改", field="year")
        d = DelegatedScheme(organisation_id=unit.organisation_id, unit=unit, year=year, created_by=user_of(actor))
        before = ""
    else:
        d = DelegatedScheme.objects.select_for_update().get(pk=delegated.pk)
        if expected_version is not None and d.version != expected_version:
            raise StaleEdit("该细则已被修改，请刷新后再改", field="content")
        if d.state not in (S.DRAFT, S.RETURNED):
            raise ServiceError(f"细则为“{d.get_state_display()}”，不能再修改", field="content")
        before = d.state
        d.version += 1
    d.title, d.content, d.scheme_text = title.strip(), content.strip(), (text + "\n") if text else ""
    d.state = S.FILED if submit else S.DRAFT
    d.save()
    step_add(actor=actor, delegated=d, action="file" if submit else "rules_save", before=before, after=d.state,
             note=d.title)
    audit_record(actor=actor, action="delegated_save", instance=d, after={
        "unit": unit.code, "year": year, "title": d.title, "state": d.state, "content_length": len(d.content),
        "scheme": bool(d.scheme_text)})
    return d


@transaction.atomic
def delegated_decide(*, actor: Actor, scope: Scope, delegated: DelegatedScheme, accept: bool,
                     comment: str = "") -> DelegatedScheme:
    """备案: the office accepts filed rules (registering their scheme file, if any) or returns them."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以办理考评细则备案")
    d = DelegatedScheme.objects.select_for_update().select_related("unit").get(pk=delegated.pk)
    require_org(scope, d.organisation_id)
    if d.state != S.FILED:
        raise ServiceError(f"只能办理待备案的细则（当前：{d.get_state_display()}）", field="comment")
    if not accept and not comment.strip():
        raise ServiceError("退回需要填写意见", field="comment")
    before = d.state
    if accept and d.scheme_text:
        code = f"{d.unit.code}-{d.year}-xz"[:60]
        scheme_create(actor=actor, code=code, name=f"{d.unit.name}{d.title}", text=d.scheme_text,
                      note="四级考核细则备案", organisation=d.unit.organisation)
        d.scheme_code = code
    d.state = S.ACCEPTED if accept else S.RETURNED
    d.office_comment, d.version = comment.strip(), d.version + 1
    d.save(update_fields=["state", "office_comment", "scheme_code", "version"])
    step_add(actor=actor, delegated=d, action="accept" if accept else "file_return", before=before, after=d.state,
             note=d.office_comment or ("已登记为考核方案 " + d.scheme_code if d.scheme_code else ""))
    audit_record(actor=actor, action="delegated_accept" if accept else "delegated_return", instance=d,
                 before={"state": before}, after={"state": d.state, "comment": d.office_comment,
                                                  "scheme": d.scheme_code})
    return d
