"""Every write of budget performance management. Import from here:
``from jixiao.budget.services import targets_save``."""

from jixiao.budget.services.evaluation import evaluation_external, evaluation_recheck, evaluation_self
from jixiao.budget.services.exante import criteria_of, criteria_save, exante_save
from jixiao.budget.services.monitoring import (
    ExecutionRow,
    executions_import,
    monitoring_save,
    progress_save,
    project_mark,
)
from jixiao.budget.services.projects import ProjectInput, project_save, projects_import
from jixiao.budget.services.results import SettingsInput, settings_save, unit_scores_feed
from jixiao.budget.services.targets import IndicatorInput, library_save, targets_review, targets_save

__all__ = [
    "ExecutionRow", "IndicatorInput", "ProjectInput", "SettingsInput", "criteria_of", "criteria_save",
    "evaluation_external", "evaluation_recheck", "evaluation_self", "exante_save", "executions_import",
    "library_save", "monitoring_save", "progress_save", "project_mark", "project_save", "projects_import",
    "settings_save", "targets_review", "targets_save", "unit_scores_feed",
]
