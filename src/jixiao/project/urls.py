"""URL map: one include per app, each app owning its own ``urls.py``."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from jixiao.project import views

# Error pages in Chinese, inside the site's layout (jixiao.core.views).
handler403 = "jixiao.core.views.permission_denied"
handler404 = "jixiao.core.views.page_not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(template_name="login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("org/", include("jixiao.org.urls")),
    path("account/", include("jixiao.org.urls_account")),
    path("audit/", include("jixiao.audit.urls")),
    path("system/", include("jixiao.sysadmin.urls")),
    path("mfa/", include("jixiao.sysadmin.urls_mfa")),
    path("schemes/", include("jixiao.schemes.urls")),
    path("schemes/", include("jixiao.scoring.urls_schemes")),
    path("ledger/", include("jixiao.collection.urls")),
    path("results/", include("jixiao.scoring.urls")),
    path("supervision/", include("jixiao.supervision.urls")),
    path("planning/", include("jixiao.planning.urls")),
    path("budget/", include("jixiao.budget.urls")),
    path("evaluations/", include("jixiao.evaluations.urls")),
    path("data/", include("jixiao.datatrust.urls")),
    path("e/", include("jixiao.evaluations.urls_public")),
    path("outcomes/", include("jixiao.outcomes.urls")),
    path("cockpit/", include("jixiao.dashboard.urls")),
    path("reports/", include("jixiao.reports.urls")),
    path("api/", include("jixiao.api.urls")),
    path("search/", include("jixiao.search.urls")),
    path("manual/", include("jixiao.manual.urls")),
]
# Evidence files are never served from MEDIA_URL: they go through a scoped download view.
