"""Planning URLs, mounted at /planning/ (目标与计划)."""

from django.urls import path

from jixiao.planning import views_calendar as cal
from jixiao.planning import views_delegated as dv
from jixiao.planning import views_plans as pv
from jixiao.planning import views_self as v
from jixiao.planning import views_targets as t

app_name = "planning"
urlpatterns = [
    path("", t.index, name="index"),
    path("<slug:code>/targets/", t.targets, name="targets"),
    path("<slug:code>/targets/new", t.proposal_new, name="proposal_new"),
    path("<slug:code>/targets/submit", t.proposals_submit_view, name="proposals_submit"),
    path("<slug:code>/coverage/", t.coverage, name="coverage"),
    path("<slug:code>/settings/", t.settings_view, name="settings"),
    path("targets/<int:pk>/", t.proposal, name="proposal"),
    path("targets/<int:pk>/edit", t.proposal_edit, name="proposal_edit"),
    path("targets/<int:pk>/review", t.proposal_review_view, name="proposal_review"),
    path("targets/<int:pk>/negotiate", t.negotiation_view, name="negotiate"),
    path("targets/<int:pk>/approve", t.proposal_approve_view, name="proposal_approve"),
    path("<slug:code>/self/", v.selfcheck, name="selfcheck"),
    path("<slug:code>/self/<slug:period>/<slug:obj>/", v.self_object, name="self_object"),
    path("<slug:code>/calendar/", cal.calendar, name="calendar"),
    path("<slug:code>/calendar/run", cal.calendar_run_view, name="calendar_run"),
    path("<slug:code>/calendar/<slug:period>", cal.calendar_period, name="calendar_period"),
    path("<slug:code>/plans/", pv.plans, name="plans"),
    path("<slug:code>/plans/new", pv.plan_new, name="plan_new"),
    path("plans/<int:pk>/", pv.plan, name="plan"),
    path("plans/<int:pk>/edit", pv.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/decide", pv.plan_decide_view, name="plan_decide"),
    path("plans/<int:pk>/report", pv.plan_report_view, name="plan_report"),
    path("delegated/", dv.delegated, name="delegated"),
    path("delegated/new", dv.delegated_new, name="delegated_new"),
    path("delegated/<int:pk>/", dv.delegated_detail, name="delegated_detail"),
    path("delegated/<int:pk>/edit", dv.delegated_edit, name="delegated_edit"),
    path("delegated/<int:pk>/decide", dv.delegated_decide_view, name="delegated_decide"),
]
