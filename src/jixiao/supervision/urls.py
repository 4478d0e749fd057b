"""Supervision URLs, mounted at /supervision/; each part of the app keeps its own list."""

from jixiao.supervision import urls_bulletins, urls_import, urls_matters, urls_reminders

app_name = "supervision"
urlpatterns = [*urls_matters.urlpatterns, *urls_reminders.urlpatterns, *urls_bulletins.urlpatterns,
               *urls_import.urlpatterns]
