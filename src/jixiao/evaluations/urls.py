"""Evaluation URLs, mounted at /evaluations/ (the office's campaigns, 我的测评)."""

from django.urls import path

from jixiao.evaluations import views, views_rater

app_name = "evaluations"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views_rater.mine, name="mine"),
    path("mine/<int:pk>/", views_rater.rate, name="rate"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/groups/", views.group_add, name="group_add"),
    path("<int:pk>/groups/<int:group>/remove", views.group_remove, name="group_remove"),
    path("<int:pk>/assignments/", views.assignments, name="assignments"),
    path("<int:pk>/assignments/generate", views.assignments_generate, name="assignments_generate"),
    path("<int:pk>/assignments/add", views.assignment_add, name="assignment_add"),
    path("<int:pk>/assignments/<int:assignment>/remove", views.assignment_remove, name="assignment_remove"),
    path("<int:pk>/open", views.open_, name="open"),
    path("<int:pk>/close", views.close, name="close"),
    path("<int:pk>/tokens", views.tokens, name="tokens"),
    path("<int:pk>/windows", views.window_add, name="window_add"),
    path("<int:pk>/paper", views.paper, name="paper"),
    path("<int:pk>/turnout/", views.turnout, name="turnout"),
    path("<int:pk>/remind", views.remind, name="remind"),
]
