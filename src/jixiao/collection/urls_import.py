"""Excel import URLs, included by ``collection.urls`` at ``import/`` inside the ``collection`` namespace."""

from django.urls import path

from jixiao.collection import views_import

urlpatterns = [
    path("jobs/<int:pk>/", views_import.import_job, name="import_job"),
    path("jobs/<int:pk>/status", views_import.import_job_status, name="import_job_status"),
    path("jobs/<int:pk>/retry", views_import.import_job_retry_view, name="import_job_retry"),
    path("<slug:code>/<slug:period>/", views_import.import_upload, name="import_upload"),
    path("<slug:code>/<slug:period>/template.xlsx", views_import.import_template, name="import_template"),
]
