"""Public rating URLs, mounted at /e/ (no account: one-time tokens and window links)."""

from django.urls import path

from jixiao.evaluations import views_public

app_name = "evaluate"
urlpatterns = [
    path("", views_public.enter, name="enter"),
    path("thanks", views_public.thanks, name="thanks"),
    path("w/<str:key>", views_public.window, name="window"),
    path("<str:token>", views_public.rate, name="rate"),
]
