"""What the budget services share: the year's settings as rules, who may act on a project."""

from __future__ import annotations

from decimal import Decimal

from jixiao.budget.evalscore import Weights
from jixiao.budget.models import BudgetSettings, Project
from jixiao.budget.rules import Bands, Thresholds
from jixiao.core.errors import NotAllowed
from jixiao.org.scoping import Scope, require_org

DEFAULT_CRITERIA = [
    ("necessity", "立项必要性", Decimal(25)), ("economy", "投入经济性", Decimal(20)),
    ("targets", "绩效目标合理性", Decimal(20)), ("feasibility", "实施方案可行性", Decimal(20)),
    ("compliance", "筹资合规性", Decimal(15)),
]


def settings_of(organisation_id: int, year: int) -> BudgetSettings:
    """The year's settings; the defaults (unsaved) when the finance bureau has set none."""
    found = BudgetSettings.objects.filter(organisation_id=organisation_id, year=year).first()
    return found or BudgetSettings(organisation_id=organisation_id, year=year)


def thresholds_of(s: BudgetSettings) -> Thresholds:
    return Thresholds(warn=float(s.warn_gap), red=float(s.red_gap))


def bands_of(s: BudgetSettings) -> Bands:
    return Bands(excellent=s.grade_excellent, good=s.grade_good, fair=s.grade_fair)


def weights_of(s: BudgetSettings) -> Weights:
    return Weights(execution=s.execution_points, output=s.output_points, effect=s.effect_points,
                   satisfaction=s.satisfaction_points)


def unit_side(scope: Scope, unit_id: int) -> bool:
    """The budget unit itself: its reporter or head (or of a unit above it)."""
    return unit_id in scope.report_units or unit_id in scope.head_units


def require_finance(scope: Scope, organisation_id: int | None, what: str) -> None:
    """The finance bureau (the organisation's office) only."""
    require_org(scope, organisation_id)
    if not scope.office:
        raise NotAllowed(f"只有财政部门（绩效办）可以{what}")


def require_unit(scope: Scope, project: Project, what: str) -> None:
    """The project's budget unit (or the finance bureau on its behalf)."""
    require_org(scope, project.organisation_id)
    if not (scope.office or unit_side(scope, project.unit_id)):
        raise NotAllowed(f"只有预算单位本单位或财政部门可以{what}")
