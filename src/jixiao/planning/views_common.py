"""What the planning pages share: finding an assessment, a period or a proposal for the user (404
when it is not his organisation's or he does not see it)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope, scope_of
from jixiao.planning import selectors as sel
from jixiao.planning.models import TargetProposal, WorkPlan
from jixiao.schemes.models import Assessment, Period


def assessment_or_404(request: HttpRequest, code: str) -> Assessment:
    try:
        return sel.assessment_get(scope=scope_of(request), code=code)
    except Assessment.DoesNotExist:
        raise Http404 from None


def period_or_404(assessment: Assessment, code: str) -> Period:
    try:
        return sel.period_get(assessment=assessment, code=code)
    except Period.DoesNotExist:
        raise Http404 from None


def object_or_404(request: HttpRequest, assessment: Assessment, code: str) -> AssessedObject:
    try:
        return sel.object_get(scope=scope_of(request), assessment=assessment, code=code)
    except AssessedObject.DoesNotExist:
        raise Http404 from None


def proposal_or_404(request: HttpRequest, pk: int) -> TargetProposal:
    try:
        return sel.proposal_get(scope=scope_of(request), pk=pk)
    except TargetProposal.DoesNotExist:
        raise Http404 from None


def plan_or_404(request: HttpRequest, pk: int) -> WorkPlan:
    try:
        return sel.plan_get(scope=scope_of(request), pk=pk)
    except WorkPlan.DoesNotExist:
        raise Http404 from None


def office_scope(request: HttpRequest) -> Scope:
    scope = scope_of(request)
    if not scope.office:
        raise PermissionDenied("此页面仅供绩效办使用")
    return scope


def member_scope(request: HttpRequest) -> Scope:
    """Anyone with a role in the organisation (the outsider has none)."""
    scope = scope_of(request)
    if scope.organisation_id is None:
        raise PermissionDenied("您在本系统中没有任何角色")
    return scope
