"""What-if and version switch, mounted under /schemes/ next to the scheme pages."""

from django.urls import path

from jixiao.scoring import views_schemes

app_name = "whatif"
urlpatterns = [
    path("v/<int:pk>/switch", views_schemes.switch, name="switch"),
    path("v/<int:pk>/whatif", views_schemes.compare, name="compare"),
]
