from django.urls import path

from jixiao.outcomes import views, views_archive, views_feedback, views_plans, views_rewards

app_name = "outcomes"
urlpatterns = [
    path("", views.index, name="index"),
    path("appeals/new/<slug:token>/", views.appeal_new, name="appeal_new"),
    path("appeals/<int:pk>/", views.appeal, name="appeal"),
    path("appeals/<int:pk>/decide", views.appeal_decide_view, name="appeal_decide"),
    path("appeals/<int:pk>/republish", views.appeal_republish_view, name="appeal_republish"),
    path("appeals/<int:pk>/evidence", views.appeal_evidence, name="appeal_evidence"),
    path("rewards/", views_rewards.rewards, name="rewards"),
    path("archives/", views_archive.archives, name="archives"),
    path("archives/<int:pk>/download", views_archive.download, name="archive_download"),
    path("feedback/<slug:code>/<slug:obj>/", views_feedback.feedback, name="feedback"),
    path("feedback/<slug:code>/<slug:obj>/letter.pdf", views_feedback.letter_pdf, name="letter_pdf"),
    path("plans/", views_plans.plans, name="plans"),
    path("plans/require", views_plans.plans_require_view, name="plans_require"),
    path("plans/<int:pk>/", views_plans.plan, name="plan"),
    path("plans/<int:pk>/items", views_plans.plan_item, name="plan_item"),
    path("plans/<int:pk>/sign", views_plans.plan_sign_view, name="plan_sign"),
    path("plans/<int:pk>/review", views_plans.plan_review_view, name="plan_review"),
    path("object/<slug:code>/years/", views_archive.object_years, name="object_years"),
]
