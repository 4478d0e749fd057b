from django.urls import path

from jixiao.scoring import views
from jixiao.scoring import views_approval as approval
from jixiao.scoring import views_publications as pubs

app_name = "scoring"
urlpatterns = [
    path("", views.index, name="index"),
    # The stable links of publications (结果公示) come first: "published" is no assessment code.
    path("published/<slug:token>/", pubs.published, name="published"),
    path("published/<slug:token>/result.xlsx", pubs.published_xlsx, name="published_xlsx"),
    path("published/<slug:token>/withdraw", pubs.withdraw, name="withdraw"),
    path("published/<slug:token>/notice.pdf", approval.notice_pdf, name="notice_pdf"),
    path("public/<slug:token>/", approval.public, name="public"),
    path("<slug:code>/", views.assessment, name="assessment"),
    path("<slug:code>/pending", views.pending, name="pending"),
    path("<slug:code>/recompute", views.recompute, name="recompute"),
    path("<slug:code>/published/", pubs.publications, name="publications"),
    path("<slug:code>/category/<slug:category>/", views.ranking, name="ranking"),
    path("<slug:code>/category/<slug:category>/publish", pubs.publish, name="publish"),
    path("<slug:code>/category/<slug:category>/approval/", approval.approval, name="approval"),
    path("<slug:code>/category/<slug:category>/approval/review", approval.review, name="approval_review"),
    path("<slug:code>/category/<slug:category>/approval/approve", approval.approve, name="approval_approve"),
    path("<slug:code>/object/<slug:obj>/", views.object_detail, name="object"),
]
