"""Who may do what to a matter, and which states each step leaves from. Pure: no database.

The light and overdue-days rule (``light_of``, ``overdue_days``) lives in ``lights`` and is
re-exported here: every caller uses that one function."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.org.scoping import Scope
from jixiao.supervision.lights import Facts as Facts
from jixiao.supervision.lights import Light as Light
from jixiao.supervision.lights import light_of as light_of
from jixiao.supervision.lights import overdue_days as overdue_days

# action → (states it may start from, state it leads to; "" keeps the state)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "review": (("registered",), "reviewed"),
    "assign": (("registered", "reviewed"), "assigned"),
    "sign": (("assigned",), "signed"),
    "feedback": (("signed", "in_progress", "returned"), "in_progress"),
    "report": (("signed", "in_progress", "returned"), "reported"),
    "check_pass": (("reported",), "checked"),
    "check_return": (("reported",), "returned"),
    "close": (("checked",), "closed"),
    "extension_request": (("assigned", "signed", "in_progress", "returned"), ""),
    "extension_decide": (("assigned", "signed", "in_progress", "returned", "reported"), ""),
    "update": (("registered", "reviewed", "assigned", "signed", "in_progress", "returned", "reported", "checked"), ""),
}

ACTION_LABELS = {
    "register": "登记", "review": "审核", "assign": "交办", "sign": "签收", "feedback": "反馈进展",
    "report": "报送办结报告", "check_pass": "核查通过", "check_return": "退回重办", "close": "办结销号",
    "extension_request": "申请延期", "extension_approve": "批准延期", "extension_refuse": "不批准延期",
    "update": "修改", "remind": "催办", "import": "导入",
}


@dataclass(frozen=True)
class Parties:
    """The units and the leader of one matter, as ids."""

    lead_unit: int
    co_units: frozenset[int]
    leader: int | None


def is_unit_member(scope: Scope, unit_id: int) -> bool:
    """A reporter or head of the unit (or of a unit above it)."""
    return unit_id in scope.report_units or unit_id in scope.head_units


def sees(scope: Scope, p: Parties) -> bool:
    if scope.office:
        return True
    if p.leader is not None and p.leader == scope.user_id:
        return True
    units = scope.leader_units | scope.head_units | scope.report_units
    return p.lead_unit in units or bool(p.co_units & units)


def may(scope: Scope, action: str, p: Parties) -> bool:
    """Whether the user may take ``action`` on a matter with these parties (states aside)."""
    if action in ("register",):
        return scope.office or bool(scope.leader_units) or "leader" in scope.roles
    if action in ("review", "assign", "update", "check_pass", "check_return"):
        return scope.office
    if action == "close":
        return scope.office or (p.leader is not None and p.leader == scope.user_id)
    if action in ("sign", "report", "extension_request"):
        return is_unit_member(scope, p.lead_unit)
    if action == "feedback":
        return is_unit_member(scope, p.lead_unit) or any(is_unit_member(scope, u) for u in p.co_units)
    if action == "extension_decide":
        # A leader decides: the leader in charge, or a leader overseeing the lead unit.
        if p.leader is not None:
            return p.leader == scope.user_id
        return p.lead_unit in scope.leader_units
    return False


def allowed_actions(scope: Scope, state: str, p: Parties) -> list[str]:
    """The steps the user can take now, in the order a page offers them."""
    out = []
    for action, (sources, _target) in TRANSITIONS.items():
        if action in ("update", "extension_decide"):
            continue
        if state in sources and may(scope, action, p):
            out.append(action)
    return out
