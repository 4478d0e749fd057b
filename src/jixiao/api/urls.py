"""API routes under ``/api/``. The schema (OpenAPI 3) is at ``/api/schema/``; no bundled UI, since its
JavaScript would come from a CDN (``?format=json`` gives JSON instead of YAML)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from jixiao.api import views, views_supervision
from jixiao.api.permissions import AUTHENTICATION, PERMISSIONS

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(authentication_classes=AUTHENTICATION,
                                               permission_classes=PERMISSIONS), name="schema"),
    path("units/", views.UnitList.as_view(), name="units"),
    path("people/", views.PersonList.as_view(), name="people"),
    path("categories/", views.CategoryList.as_view(), name="categories"),
    path("objects/", views.ObjectList.as_view(), name="objects"),
    path("schemes/", views.SchemeList.as_view(), name="schemes"),
    path("schemes/<slug:code>/versions/<int:number>/", views.SchemeVersionDetail.as_view(), name="scheme-version"),
    path("assessments/", views.AssessmentList.as_view(), name="assessments"),
    path("assessments/<slug:code>/periods/", views.PeriodList.as_view(), name="periods"),
    path("assessments/<slug:code>/periods/<slug:period>/values/", views.PeriodValues.as_view(), name="period-values"),
    path("assessments/<slug:code>/results/", views.ResultList.as_view(), name="results"),
    path("assessments/<slug:code>/objects/<slug:object>/explain/", views.Explain.as_view(), name="explain"),
    path("values/", views.ValueList.as_view(), name="values"),
    path("values/<int:pk>/", views.ValueDetail.as_view(), name="value"),
    path("matters/", views_supervision.MatterList.as_view(), name="matters"),
    path("matters/<int:pk>/", views_supervision.MatterDetail.as_view(), name="matter"),
]
