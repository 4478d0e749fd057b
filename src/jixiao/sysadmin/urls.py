from django.urls import path

from jixiao.sysadmin import views, views_security

app_name = "system"
urlpatterns = [
    path("", views.index, name="index"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/<int:pk>/", views.account, name="account"),
    path("accounts/<int:pk>/disable", views.account_disable_view, name="account_disable"),
    path("accounts/<int:pk>/enable", views.account_enable_view, name="account_enable"),
    path("accounts/<int:pk>/reset", views.account_reset_view, name="account_reset"),
    path("grants/<int:pk>/remove", views.grant_remove_view, name="grant_remove"),
    path("units/", views.units, name="units"),
    path("people/", views.people, name="people"),
    path("categories/", views.categories, name="categories"),
    path("objects/", views.objects, name="objects"),
    path("import/", views.import_view, name="import"),
    path("import/template", views.import_template, name="import_template"),
    path("security/", views_security.index, name="security"),
    path("security/policy/", views_security.policy, name="security_policy"),
    path("security/<int:pk>/lock", views_security.lock, name="security_lock"),
    path("security/<int:pk>/unlock", views_security.unlock, name="security_unlock"),
    path("security/<int:pk>/mfa-reset", views_security.mfa_reset_view, name="security_mfa_reset"),
]
