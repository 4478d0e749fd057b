from django.urls import path

from jixiao.org import views

app_name = "org"
urlpatterns = [path("", views.index, name="index"), path("switch/", views.switch, name="switch")]
