"""Writes of the supervision app; every one keyword-only, in one transaction, audited."""

from jixiao.supervision.services.bulletins import bulletin_create, bulletin_publish
from jixiao.supervision.services.extensions import extension_decide, extension_request
from jixiao.supervision.services.imports import ImportRefused, matters_import
from jixiao.supervision.services.matters import (
    MatterInput,
    MilestoneInput,
    matter_assign,
    matter_check,
    matter_close,
    matter_feedback,
    matter_register,
    matter_review,
    matter_sign,
    matter_update,
)

__all__ = [
    "ImportRefused",
    "MatterInput",
    "MilestoneInput",
    "bulletin_create",
    "bulletin_publish",
    "extension_decide",
    "extension_request",
    "matter_assign",
    "matter_check",
    "matter_close",
    "matter_feedback",
    "matter_register",
    "matter_review",
    "matter_sign",
    "matter_update",
    "matters_import",
]
