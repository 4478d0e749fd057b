"""Online evaluations (测评): campaigns, rater groups, who rates whom, one-time tokens, window links,
anonymous ballots, paper tallies and the results written at closing.

Anonymity is in the schema: :class:`Ballot` and :class:`BallotScore` have random UUID keys, no
reference to a user, an assignment, a token or a window, no IP address or browser, and only the day
they were cast. An account rater's submission is recorded on his :class:`Assignment`
(``submitted_at``), apart from the ballot, so the two cannot be joined.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from jixiao.evaluations.rules import Scale
from jixiao.org.models import AssessedObject
from jixiao.schemes.models import Assessment, Period


class Campaign(models.Model):
    """测评活动: who rates which objects of an assessment's period, on which questionnaire and scale,
    between which times, and which scheme indicator the result feeds."""

    class Status(models.TextChoices):
        DRAFT = "draft", "准备中"
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"

    class Feed(models.TextChoices):
        SCORE = "score", "直接计分（按满分折算为指标分值）"
        RATING = "rating", "等次票折算（按票面等次计票）"
        VALUE = "value", "写入指标数值（按分档等规则计分）"

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="campaigns")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    dimensions = models.JSONField(default=list, help_text="[[name, weight]], e.g. 德 0.2 … or one 总体评价 1")
    scale = models.JSONField(default=dict, help_text="{'labels': [[label, points]]} or {'low': .., 'high': ..}")
    trim_pct = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    min_group = models.PositiveSmallIntegerField(default=5)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    indicator = models.CharField(max_length=40, help_text="the scheme indicator the result feeds")
    feed = models.CharField(max_length=10, choices=Feed.choices, default=Feed.SCORE)
    objects_rated = models.ManyToManyField(AssessedObject, related_name="campaigns")
    window_cooldown_hours = models.PositiveSmallIntegerField(default=24)
    window_per_minute = models.PositiveSmallIntegerField(default=30)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["assessment", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def the_scale(self) -> Scale:
        return Scale.from_json(self.scale)

    @property
    def dims(self) -> tuple[tuple[str, Decimal], ...]:
        return tuple((str(n), Decimal(str(w))) for n, w in self.dimensions)


class RaterGroup(models.Model):
    """评价主体: a group of raters with its weight — leaders, superiors, peers, subordinates (with an
    account), service users at a window or the public (one-time tokens, paper ballots)."""

    class Kind(models.TextChoices):
        LEADER = "leader", "领导评价"
        SUPERIOR = "superior", "上级评价（上评下）"
        PEER = "peer", "同级互评"
        SUBORDINATE = "subordinate", "下级评价（下评上）"
        SERVICE = "service", "服务对象评价"
        PUBLIC = "public", "社会公众评价"

    class Subtype(models.TextChoices):
        NONE = "", "—"
        DEPUTY = "npc", "人大代表"
        CPPCC = "cppcc", "政协委员"
        ENTERPRISE = "enterprise", "企业代表"
        RESIDENT = "resident", "群众"

    ACCOUNT_KINDS = ("leader", "superior", "peer", "subordinate")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subtype = models.CharField(max_length=20, choices=Subtype.choices, blank=True, default="")
    name = models.CharField(max_length=60)
    weight = models.DecimalField(max_digits=8, decimal_places=4, default=Decimal(1))
    paper_issued = models.PositiveIntegerField(default=0, help_text="纸质票 issued per object")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="unique_rater_group_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def with_accounts(self) -> bool:
        return self.kind in self.ACCOUNT_KINDS


class Assignment(models.Model):
    """测评关系: one rater (an account) rates one object in a campaign. His draft lives here until he
    submits; then the draft is cleared, ``submitted_at`` set and an unlinked :class:`Ballot` cast."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assignments")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="assignments")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="+")
    draft = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["object__code", "rater__username"]
        constraints = [models.UniqueConstraint(fields=["campaign", "rater", "object"],
                                               name="unique_campaign_assignment")]
        indexes = [models.Index(fields=["rater", "submitted_at"])]


class Token(models.Model):
    """评价码: a one-time public token of a rater group. Only its SHA-256 is stored; the token itself
    (≥128 bits from ``secrets.token_urlsafe``) is printed once on the sheet and never again."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tokens")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    serial = models.PositiveIntegerField()
    used = models.BooleanField(default=False)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["serial"]
        indexes = [models.Index(fields=["campaign", "group", "used"])]


class WindowLink(models.Model):
    """窗口评价: an open link on a service window's device for one object; each device may rate once
    every ``campaign.window_cooldown_hours`` (signed cookie) and the link takes at most
    ``campaign.window_per_minute`` ballots a minute."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="windows")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="windows")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]


class Ballot(models.Model):
    """测评票: one anonymous rating of an object. No user, token, window, IP or browser; the day only.
    ``score`` is the ballot's weighted score over the dimensions (rules.ballot_score, 6 dp)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ballots")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="ballots")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    score = models.DecimalField(max_digits=14, decimal_places=6)

    class Meta:
        indexes = [models.Index(fields=["campaign", "object", "group"])]


class BallotScore(models.Model):
    """测评票明细: one dimension's rating on a ballot (label or number, and its points)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="scores")
    dimension = models.CharField(max_length=40)
    rating = models.CharField(max_length=40)
    points = models.DecimalField(max_digits=14, decimal_places=6)


class PaperTally(models.Model):
    """纸质票计票: the office's count of paper ballots of one label for an object from a rater group;
    a group's tallies for an object never exceed the paper ballots issued to it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tallies")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="tallies")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=40)
    count = models.PositiveIntegerField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "group", "object", "label"],
                                               name="unique_paper_tally")]


class Result(models.Model):
    """测评结果: an object's aggregate written when the campaign closed, with each group's count and
    mean (no mean for a group under the minimum), and what was written to the ledger."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="results")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    ballots = models.PositiveIntegerField(default=0)
    groups: Any = models.JSONField(default=dict)  # {group id: {"n": int, "mean": str | None}}
    fed = models.CharField(max_length=60, blank=True, help_text="what the ledger received, in words")

    class Meta:
        ordering = ["-score", "object__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "object"], name="unique_campaign_result")]
