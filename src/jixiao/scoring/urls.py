from django.urls import path

from jixiao.scoring import views

app_name = "scoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.assessment, name="assessment"),
    path("<slug:code>/category/<slug:category>/", views.ranking, name="ranking"),
    path("<slug:code>/object/<slug:obj>/", views.object_detail, name="object"),
]
