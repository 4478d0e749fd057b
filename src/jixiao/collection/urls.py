from django.urls import include, path

from jixiao.collection import views, views_incidents, views_review

app_name = "collection"
urlpatterns = [
    path("", views.index, name="index"),
    path("review/", views_review.review_queue_view, name="review_queue"),
    path("incidents/", views_incidents.incidents, name="incidents"),
    path("incidents/form", views_incidents.incident_form_fields, name="incident_form_fields"),
    path("incidents/<int:pk>/review", views_incidents.incident_review, name="incident_review"),
    path("values/<int:pk>/review", views.review, name="review"),
    path("values/<int:pk>/evidence", views.evidence_upload, name="evidence_upload"),
    path("values/<int:pk>/history", views.value_history, name="value_history"),
    path("evidence/<int:pk>", views.evidence_download, name="evidence"),
    path("import/", include("jixiao.collection.urls_import")),
    path("<slug:code>/", views.assessment, name="assessment"),
    path("<slug:code>/<slug:period>/", views.period, name="period"),
    path("<slug:code>/<slug:period>/rates", views.rates, name="rates"),
    path("<slug:code>/<slug:period>/<slug:obj>/", views.object_form, name="object"),
    path("<slug:code>/<slug:period>/<slug:obj>/ballots", views.ballot_create, name="ballot_create"),
    path("<slug:code>/<slug:period>/<slug:obj>/verify", views.review_all, name="review_all"),
]
