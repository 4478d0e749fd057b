"""Casting ballots: account raters (draft, submit once), one-time public tokens, window links, and
the office's paper tallies. Every path checks, before writing anything: the campaign is open and
within its times, the rater may rate this object, every rating is on the scale.

Anonymity: a :class:`Ballot` is written with a random id, the day only and no reference to who
or what cast it (see models.py). A token is marked used in the same transaction by
``UPDATE … WHERE used = false``: of any number of concurrent redemptions exactly one changes the row
and casts ballots; the others find it used and are refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record
from jixiao.core.bulk import rows_insert
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.evaluations import rules
from jixiao.evaluations.models import (
    Assignment,
    Ballot,
    BallotScore,
    Campaign,
    PaperTally,
    RaterGroup,
    Token,
    WindowLink,
)
from jixiao.evaluations.services.campaigns import require_office
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope

TOKEN_BYTES = 16  # 128 bits
MAX_TOKENS = 2000  # a sheet run at a time

Ratings = Mapping[str, str]  # dimension → label or number


class TokenRefused(ServiceError):
    """A used, forged or expired token: the public refusal page says which."""

    status = 403


def token_digest(token: str) -> str:
    return hashlib.sha256(token.strip().replace(" ", "").encode()).hexdigest()


def require_open(campaign: Campaign, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    if campaign.status == Campaign.Status.CLOSED or (campaign.status == Campaign.Status.OPEN
                                                     and now >= campaign.closes_at):
        raise ServiceError(f"测评活动「{campaign.name}」已结束，不能再评价")
    if campaign.status != Campaign.Status.OPEN or now < campaign.opens_at:
        raise ServiceError(f"测评活动「{campaign.name}」尚未开始，请于 "
                           f"{timezone.localtime(campaign.opens_at):%Y-%m-%d %H:%M} 后评价")


@dataclass(frozen=True)
class Checked:
    """One object's ratings, checked: the ballot's score and each dimension's rating and points."""

    object_id: int
    score: Decimal
    parts: tuple[tuple[str, str, Decimal], ...]


def ratings_check(campaign: Campaign, object_id: int, ratings: Ratings) -> Checked:
    """Refuse a rating outside the scale or a dimension left out (in Chinese); write nothing."""
    scale = campaign.the_scale
    clean = {d: str(v).strip() for d, v in ratings.items() if str(v).strip()}
    try:
        score = rules.ballot_score(clean, campaign.dims, scale)
        parts = tuple((d, clean[d], scale.points(clean[d])) for d, _ in campaign.dims)
    except rules.RuleError as e:
        raise ServiceError(str(e), field="ratings") from None
    return Checked(object_id=object_id, score=rules.quantize(score, rules.BALLOT_PLACES), parts=parts)


def ballots_insert(campaign: Campaign, group_id: int, checked: Sequence[Checked]) -> int:
    """Cast anonymous ballots: random ids, today's date, no reference to the rater. Two
    ``executemany`` statements (``core.bulk``): on the public evaluation's day this runs for every
    submission, and ``bulk_create``'s model instances cost more than the rest of it."""
    day = connection.ops.adapt_datefield_value(timezone.localdate())
    pk, score_pk = Ballot._meta.pk, BallotScore._meta.pk
    assert pk is not None and score_pk is not None
    ballots: list[tuple[Any, ...]] = []
    scores: list[tuple[Any, ...]] = []
    for c in checked:
        bid = pk.get_db_prep_value(uuid.uuid4(), connection)
        ballots.append((bid, campaign.pk, group_id, c.object_id, day, c.score))
        scores += [(score_pk.get_db_prep_value(uuid.uuid4(), connection), bid, d, r, p) for d, r, p in c.parts]
    rows_insert(Ballot, ("id", "campaign_id", "group_id", "object_id", "day", "score"), ballots)
    rows_insert(BallotScore, ("id", "ballot_id", "dimension", "rating", "points"), scores)
    return len(ballots)


# --- Account raters (我的测评) ---------------------------------------------------------------

def _assignment_locked(scope: Scope, assignment_id: int) -> Assignment:
    a = (Assignment.objects.select_for_update(of=("self",)).select_related("campaign", "object")
         .filter(pk=assignment_id).first())
    if a is None or a.rater_id != scope.user_id:
        raise NotAllowed("您不在该对象的测评名单中")
    return a


@transaction.atomic
def assignment_ballot_save(*, actor: Actor, scope: Scope, assignment_id: int, ratings: Ratings,
                           submit: bool) -> Assignment:
    """Save the rater's draft, or submit it once: the ballot is cast without any link to him and
    his assignment only records that (and when) he submitted."""
    a = _assignment_locked(scope, assignment_id)
    campaign = a.campaign
    require_open(campaign)
    if a.submitted_at is not None:
        raise ServiceError(f"您已提交过对 {a.object.name} 的评价，不能重复提交")
    clean = {d: str(v).strip() for d, v in ratings.items() if str(v).strip()}
    scale = campaign.the_scale
    dims = {d for d, _ in campaign.dims}
    for d, v in clean.items():
        if d not in dims:
            raise ServiceError(f"没有测评维度：{d}", field="ratings")
        try:
            scale.points(v)
        except rules.RuleError as e:
            raise ServiceError(f"{d}：{e}", field="ratings") from None
    if not submit:
        a.draft = clean
        a.save(update_fields=["draft"])
        return a
    checked = ratings_check(campaign, a.object_id, clean)
    ballots_insert(campaign, a.group_id, [checked])
    a.draft, a.submitted_at = {}, timezone.now()
    a.save(update_fields=["draft", "submitted_at"])
    # The audit names the submission, never the ratings: those are the anonymous ballot's.
    audit_record(actor=actor, action="assignment_submit", instance=a, after={"campaign": campaign.pk})
    return a


# --- One-time tokens (评价码) -----------------------------------------------------------------

@transaction.atomic
def tokens_issue(*, actor: Actor, scope: Scope, campaign: Campaign, group: RaterGroup, count: int) -> list[
        tuple[int, str]]:
    """``count`` new one-time tokens of a public group: (serial, token). Only their hashes are kept,
    so the sheet of them is printed now or never."""
    require_office(scope, campaign.assessment.organisation_id)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == Campaign.Status.CLOSED:
        raise ServiceError("测评活动已结束，不能再发放评价码")
    if group.campaign_id != campaign.pk or group.with_accounts:
        raise ServiceError("评价码只发给服务对象或社会公众评价主体", field="group")
    if count < 1 or count > MAX_TOKENS:
        raise ServiceError(f"每次可生成 1 至 {MAX_TOKENS} 个评价码", field="count")
    start = (Token.objects.filter(campaign=campaign).order_by("-serial").values_list("serial", flat=True).first()
             or 0) + 1
    out = [(start + i, secrets.token_urlsafe(TOKEN_BYTES)) for i in range(count)]
    Token.objects.bulk_create([Token(campaign=campaign, group=group, digest=token_digest(t), serial=s,
                                     expires_at=campaign.closes_at) for s, t in out])
    audit_record(actor=actor, action="tokens_issue", instance=campaign,
                 after={"group": group.name, "count": count, "serials": [start, start + count - 1]})
    return out


def _token_refusal(token: Token | None, now: dt.datetime) -> TokenRefused:
    if token is None:
        return TokenRefused("评价码无效，请核对后重新输入")
    if token.used:
        return TokenRefused("该评价码已使用，每个评价码只能评价一次")
    if token.expires_at <= now:
        return TokenRefused("该评价码已过期")
    return TokenRefused("该评价码暂不能使用")


def _token_of(token: str, *related: str) -> Token | None:
    """The token's record by its digest, with ``related`` (one query; no ordering to pay for)."""
    if not token:
        return None
    return next(iter(Token.objects.select_related(*related).filter(digest=token_digest(token)).order_by()[:1]),
                None)


def token_check(*, token: str) -> Token:
    """The token's record if it may rate now (for the rating page); refused otherwise."""
    now = timezone.now()
    t = _token_of(token, "campaign", "group")
    if t is None or t.used or t.expires_at <= now:
        raise _token_refusal(t, now)
    require_open(t.campaign, now)
    return t


def _by_name(dims: Sequence[str], ratings: Mapping[int, Mapping[Any, str]]) -> dict[int, dict[str, str]]:
    """Ratings keyed by dimension name; a rating form's keys are the dimensions' indexes (an index
    the campaign does not have is refused)."""
    out: dict[int, dict[str, str]] = {}
    for obj_id, by_dim in ratings.items():
        row: dict[str, str] = {}
        for d, v in by_dim.items():
            if isinstance(d, int):
                if not 0 <= d < len(dims):
                    raise ServiceError("没有该测评维度", field="ratings")
                d = dims[d]
            row[d] = v
        out[obj_id] = row
    return out


@transaction.atomic
def token_redeem(*, token: str, ratings: Mapping[int, Mapping[Any, str]]) -> int:
    """Rate with a one-time token: ``ratings`` {object id: {dimension: rating}}, a dimension named
    or, as a rating form posts it, given by its index; objects left wholly blank are skipped.
    Exactly once: the token is marked used by ``UPDATE … WHERE used = false`` in the transaction
    that casts the ballots. Returns the number of ballots cast.

    A burst of these is the public evaluation's day: the token is read once (with its campaign),
    the towns rated are checked in one query, and the ballots are two inserts."""
    now = timezone.now()
    t = _token_of(token, "campaign")
    if t is None or t.used or t.expires_at <= now:
        raise _token_refusal(t, now)
    campaign = t.campaign
    require_open(campaign, now)
    named = _by_name([d for d, _ in campaign.dims], ratings)
    rated = {obj_id: r for obj_id, r in named.items() if any(str(v).strip() for v in r.values())}
    if not rated:
        raise ServiceError("请至少评价一个对象", field="ratings")
    allowed = set(campaign.objects_rated.filter(id__in=list(rated)).values_list("id", flat=True))
    if len(allowed) != len(rated):
        raise NotAllowed("该对象不在本次测评范围内")
    checked = [ratings_check(campaign, obj_id, r) for obj_id, r in rated.items()]
    won = Token.objects.filter(pk=t.pk, used=False, expires_at__gt=now).update(used=True)
    if won != 1:
        raise _token_refusal(Token.objects.filter(pk=t.pk).first(), now)
    return ballots_insert(campaign, t.group_id, checked)


# --- Window links (窗口评价) ------------------------------------------------------------------

def window_get(*, key: str) -> WindowLink:
    link = (WindowLink.objects.select_related("campaign", "group", "object").filter(key=key, active=True).first()
            if key else None)
    if link is None:
        raise TokenRefused("评价链接无效")
    require_open(link.campaign)
    return link


@transaction.atomic
def window_ballot_submit(*, key: str, ratings: Ratings, last_rated: dt.datetime | None) -> WindowLink:
    """One ballot from a service window's device. ``last_rated``: when this device last rated
    through this link (from its signed cookie); refused within the campaign's cooldown, and when
    the link took more than its ballots a minute."""
    link = window_get(key=key)
    campaign = link.campaign
    now = timezone.now()
    if last_rated is not None and now - last_rated < dt.timedelta(hours=campaign.window_cooldown_hours):
        raise TokenRefused(f"本设备已评价过，请 {campaign.window_cooldown_hours} 小时后再评价")
    checked = ratings_check(campaign, link.object_id, ratings)
    minute = f"jx:ew:{link.pk}:{now:%Y%m%d%H%M}"
    cache.add(minute, 0, 120)
    if cache.incr(minute) > campaign.window_per_minute:
        raise TokenRefused("评价过于频繁，请稍后再试")
    ballots_insert(campaign, link.group_id, [checked])
    return link


# --- Paper tallies (纸质票计票) ----------------------------------------------------------------

@transaction.atomic
def paper_tally_enter(*, actor: Actor, scope: Scope, campaign: Campaign, group: RaterGroup, obj: AssessedObject,
                      counts: Mapping[str, int]) -> int:
    """The office's count of a group's paper ballots for an object, per label (replacing what was
    entered before); their total never above the paper ballots issued. Returns the total."""
    require_office(scope, campaign.assessment.organisation_id)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require_open(campaign)
    scale = campaign.the_scale
    if scale.numeric:
        raise ServiceError("按分数评价的测评不能录入纸质票，请用等次评价")
    if group.campaign_id != campaign.pk:
        raise ServiceError("请选择本次测评的评价主体", field="group")
    if not campaign.objects_rated.filter(pk=obj.pk).exists():
        raise ServiceError(f"{obj.name} 不是本次测评的对象", field="object")
    labels = [n for n, _ in scale.labels]
    for label, n in counts.items():
        if label not in labels:
            raise ServiceError(f"评价须为 {' / '.join(labels)}", field="counts")
        if n < 0:
            raise ServiceError("票数不能为负", field="counts")
    total = sum(counts.values())
    if total > group.paper_issued:
        raise ServiceError(f"{group.name}对 {obj.name} 的纸质票合计 {total} 张，超过发放的 {group.paper_issued} 张",
                           field="counts")
    before = dict(PaperTally.objects.filter(campaign=campaign, group=group, object=obj)
                  .values_list("label", "count"))
    PaperTally.objects.filter(campaign=campaign, group=group, object=obj).delete()
    PaperTally.objects.bulk_create([PaperTally(campaign=campaign, group=group, object=obj, label=label, count=n,
                                               entered_by_id=scope.user_id) for label, n in counts.items() if n])
    audit_record(actor=actor, action="paper_tally_enter", instance=campaign, before=before or None,
                 after={"group": group.name, "object": obj.code, "counts": {k: v for k, v in counts.items() if v}})
    return total


def paper_total(campaign: Campaign) -> int:
    return int(PaperTally.objects.filter(campaign=campaign).aggregate(n=Sum("count"))["n"] or 0)


def fraction(d: Decimal) -> Fraction:
    return Fraction(d)
