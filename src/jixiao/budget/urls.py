"""Budget performance URLs, mounted at /budget/ (预算绩效管理)."""

from django.urls import path

from jixiao.budget import views as v
from jixiao.budget import views_board as b

app_name = "budget"
urlpatterns = [
    path("", v.index, name="index"),
    path("projects/new", v.project_new, name="project_new"),
    path("projects/<int:pk>/", v.project, name="project"),
    path("projects/<int:pk>/edit", v.project_edit, name="project_edit"),
    path("projects/<int:pk>/targets", v.targets, name="targets"),
    path("projects/<int:pk>/exante", v.exante, name="exante"),
    path("projects/<int:pk>/review", v.review, name="review"),
    path("projects/<int:pk>/progress", v.progress, name="progress"),
    path("projects/<int:pk>/monitoring", v.monitoring, name="monitoring"),
    path("projects/<int:pk>/mark", v.mark, name="mark"),
    path("projects/<int:pk>/evaluate", v.evaluate, name="evaluate"),
    path("projects/<int:pk>/recheck", v.recheck, name="recheck"),
    path("projects/<int:pk>/external", v.external, name="external"),
    path("monitoring/", b.board, name="board"),
    path("monitoring/report.xlsx", b.report_xlsx, name="report_xlsx"),
    path("monitoring/report.pdf", b.report_pdf, name="report_pdf"),
    path("import/projects", b.import_projects, name="import_projects"),
    path("import/executions", b.import_executions, name="import_executions"),
    path("import/<slug:kind>/template.xlsx", b.import_template, name="import_template"),
    path("results/", b.results, name="results"),
    path("results/adjustments.xlsx", b.adjustments_xlsx, name="adjustments_xlsx"),
    path("results/feed", b.feed, name="feed"),
    path("disclosure/", b.disclosure, name="disclosure"),
    path("cockpit/", b.cockpit, name="cockpit"),
    path("settings/", b.settings_view, name="settings"),
    path("library/", b.library, name="library"),
]
