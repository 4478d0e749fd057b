from django.urls import URLPattern, path

from jixiao.manual import views

app_name = "manual"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("shots/<slug:name>.png", views.shot, name="shot"),
]
