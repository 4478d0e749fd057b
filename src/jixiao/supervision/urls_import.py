"""Bulk entry of matters from Excel (office only)."""

from django.urls import path

from jixiao.supervision import views_import

urlpatterns = [
    path("import/", views_import.import_page, name="import"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
]
