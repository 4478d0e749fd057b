from django.urls import path

from jixiao.sysadmin import views_mfa

app_name = "mfa"
urlpatterns = [path("setup/", views_mfa.setup, name="setup"), path("verify/", views_mfa.verify, name="verify")]
