from django.urls import path

from jixiao.audit import views

app_name = "audit"
urlpatterns = [path("", views.index, name="index"), path("verify/", views.verify, name="verify"),
               path("export.xlsx", views.export, name="export")]
