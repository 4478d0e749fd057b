"""Bulletin URLs (督办通报), part of the ``supervision`` namespace."""

from django.urls import path

from jixiao.supervision import views_bulletins as v

urlpatterns = [
    path("bulletins/", v.bulletins, name="bulletins"),
    path("bulletins/new", v.bulletin_create_view, name="bulletin_create"),
    path("bulletins/<int:pk>/", v.bulletin, name="bulletin"),
    path("bulletins/<int:pk>/publish", v.bulletin_publish_view, name="bulletin_publish"),
    path("bulletins/<int:pk>/bulletin.xlsx", v.bulletin_xlsx_view, name="bulletin_xlsx"),
    path("bulletins/<int:pk>/bulletin.pdf", v.bulletin_pdf_view, name="bulletin_pdf"),
]
