"""Scheme and period pages (office only)."""

from django.urls import path

from jixiao.schemes import views, views_reopen

app_name = "schemes"
urlpatterns = [
    path("", views.index, name="index"),
    path("assessments/new", views.assessment_new, name="assessment_new"),
    path("periods/<int:pk>/close", views.period_close_view, name="period_close"),
    path("periods/<int:pk>/reopen", views.period_reopen_view, name="period_reopen"),
    path("periods/<int:pk>/reopen/decide", views_reopen.reopen_decide, name="reopen_decide"),
    path("reopenings/", views_reopen.reopenings, name="reopenings"),
    path("s/<int:pk>/versions/", views.scheme_versions, name="scheme_versions"),
    path("import/", views.import_view, name="import"),
    path("format/", views.format_help, name="format_help"),
    path("template.xlsx", views.blank_template, name="template"),
    path("v/<int:pk>/", views.version_detail, name="version"),
    path("v/<int:pk>/scheme.yaml", views.version_yaml, name="version_yaml"),
    path("v/<int:pk>/scheme.xlsx", views.version_xlsx, name="version_xlsx"),
    path("v/<int:pk>/adopt", views.version_adopt, name="adopt"),
    path("v/<int:pk>/edit/", views.tree_edit, name="edit"),
    path("v/<int:pk>/edit/rows", views.tree_rows, name="edit_rows"),
    path("v/<int:pk>/edit/check", views.tree_check, name="edit_check"),
    path("v/<int:pk>/yaml/", views.yaml_edit, name="yaml"),
    path("v/<int:pk>/yaml/check", views.yaml_check, name="yaml_check"),
]
