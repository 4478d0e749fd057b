"""反馈意见: the office writes its suggestions to an assessed object (one per assessment)."""

from __future__ import annotations

from django.db import transaction

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope, require_org
from jixiao.outcomes.models import Feedback
from jixiao.schemes.models import Assessment

SUGGESTIONS_MAX = 5000


@transaction.atomic
def feedback_save(*, actor: Actor, scope: Scope, assessment: Assessment, obj: AssessedObject,
                  suggestions: str) -> Feedback:
    if not scope.office:
        raise NotAllowed("只有绩效办可以填写反馈意见")
    require_org(scope, assessment.organisation_id)
    require_org(scope, obj.unit.organisation_id)
    suggestions = suggestions.strip()
    if len(suggestions) > SUGGESTIONS_MAX:
        raise ServiceError(f"反馈意见不能超过{SUGGESTIONS_MAX}字", field="suggestions")
    fb = Feedback.objects.select_for_update().filter(assessment=assessment, object=obj).first()
    before = {"suggestions": fb.suggestions} if fb else None
    if fb is None:
        fb = Feedback(assessment=assessment, object=obj)
    fb.suggestions, fb.written_by = suggestions, user_of(actor)
    fb.save()
    audit_record(actor=actor, action="feedback_save", instance=fb, before=before,
                 after={"assessment": assessment.code, "object": obj.code, "suggestions": suggestions})
    return fb
