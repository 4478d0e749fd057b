from django.urls import URLPattern, path

from jixiao.search import views

app_name = "search"
urlpatterns: list[URLPattern] = [path("", views.index, name="index")]
