from django.urls import path

from jixiao.org import views_account

app_name = "account"
urlpatterns = [path("password/", views_account.password, name="password")]
