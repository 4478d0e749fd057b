"""Matters and rectification items: lists, one matter, its steps and forms, inbox, overview, notices."""

from django.urls import URLPattern, path

from jixiao.supervision import views, views_matter

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("rectification/", views.rectification, name="rectification"),
    path("inbox/", views.inbox, name="inbox"),
    path("overview/", views.overview, name="overview"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/read", views.notice_read, name="notice_read"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("new/", views_matter.create, name="create"),
    path("<int:pk>/", views_matter.matter, name="matter"),
    path("<int:pk>/edit/", views_matter.edit, name="edit"),
    path("<int:pk>/do/<str:action>", views_matter.action, name="action"),
    path("<int:pk>/feedback", views_matter.feedback, name="feedback"),
    path("<int:pk>/extension", views_matter.extension_request, name="extension_request"),
    path("extensions/<int:pk>/decide", views_matter.extension_decide, name="extension_decide"),
]
