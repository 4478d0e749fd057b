from django.urls import URLPattern, path

from jixiao.dashboard import views

app_name = "dashboard"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<slug:code>/<slug:category>/", views.cockpit, name="cockpit"),
    path("<slug:code>/<slug:category>/indicator/<slug:node>/", views.indicator, name="indicator"),
    path("<slug:code>/<slug:category>/unit/<slug:obj>/", views.unit, name="unit"),
]
