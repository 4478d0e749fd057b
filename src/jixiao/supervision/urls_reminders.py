"""Reminder URLs (part of the "supervision" namespace): run the reminders now, the deliveries list."""

from django.urls import URLPattern, path

from jixiao.supervision import views_reminders as views

urlpatterns: list[URLPattern] = [
    path("remind/", views.remind_run, name="remind_run"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:pk>/retry", views.delivery_retry_view, name="delivery_retry"),
]
