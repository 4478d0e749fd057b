from django.urls import path

from jixiao.datatrust import views as v

app_name = "datatrust"

urlpatterns = [
    path("", v.index, name="index"),
    path("figures/new", v.figure_new, name="figure_new"),
    path("figures/<int:pk>/", v.figure, name="figure"),
    path("figures/<int:pk>/edit", v.figure_edit, name="figure_edit"),
    path("figures/<int:pk>/value", v.figure_value, name="figure_value"),
    path("figures/<int:pk>/bind", v.figure_bind, name="figure_bind"),
    path("figures/<int:pk>/lineage", v.lineage, name="lineage"),
    path("flags/<slug:code>/", v.flags, name="flags"),
    path("flags/<slug:code>/check", v.flag_check, name="flag_check"),
]
