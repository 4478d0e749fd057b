"""Report URLs, mounted at /reports/: the page listing them and the downloads, each as XLSX or PDF."""

from django.urls import path, register_converter

from jixiao.reports import views


class FormatConverter:
    """``xlsx`` or ``pdf``: the file type of a download, as its URL's extension."""

    regex = "xlsx|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/summary.<fmt:fmt>", views.summary, name="summary_all"),
    path("<slug:code>/summary/<slug:category>.<fmt:fmt>", views.summary, name="summary"),
    path("<slug:code>/rewards.<fmt:fmt>", views.rewards, name="rewards_all"),
    path("<slug:code>/rewards/<slug:category>.<fmt:fmt>", views.rewards, name="rewards"),
    path("<slug:code>/handbook.<fmt:fmt>", views.handbook, name="handbook_all"),
    path("<slug:code>/handbook/<slug:category>.<fmt:fmt>", views.handbook, name="handbook"),
]
