"""Closing a campaign (结束测评): results the same day.

In one transaction: the campaign is closed; each object's aggregate is computed from its ballots
and the office's paper tallies (``rules.aggregate``: per rater group the trimmed mean, groups under
the minimum left out, the groups' weights); the results are stored; and the scheme indicator for the
campaign's period receives them through the ledger's write path (``jixiao.collection.services``),
which records the change and lets scoring recompute after the commit:

- 直接计分 (``score``, a 评分 indicator): one score per object, the aggregate × the indicator's
  points ÷ the scale's full marks (onto the indicator's ``range`` when it sets one);
- 等次票折算 (``rating``): the counts of each label, from the groups that reached the minimum;
  the indicator's own conversion (优秀 100 / 称职 90 …) scores them;
- 写入指标数值 (``value``): the aggregate as the indicator's verified value, whose history says
  来自测评活动「…」; the indicator's rule (tiers, ratio) scores it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record
from jixiao.collection.services import ValueInput, ballots_replace, values_bulk_upsert
from jixiao.core.errors import ServiceError
from jixiao.evaluations import rules
from jixiao.evaluations.models import Ballot, BallotScore, Campaign, PaperTally, Result
from jixiao.evaluations.services.campaigns import require_office
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope
from jixiao.schemes.selectors import catalog_of


def source_of(campaign: Campaign) -> str:
    """How the ledger names what a campaign wrote (the rater of its ballots, its values' note)."""
    return f"测评活动「{campaign.name}」"[:100]


def compute(campaign: Campaign) -> dict[int, rules.ObjectResult]:
    """Each object's result from the ballots and paper tallies (two queries, whatever their number)."""
    scale = campaign.the_scale
    weights = dict(campaign.groups.values_list("id", "weight"))
    scores: dict[int, dict[int, list[Fraction]]] = defaultdict(lambda: defaultdict(list))
    for obj_id, group_id, score in Ballot.objects.filter(campaign=campaign).values_list("object_id", "group_id",
                                                                                        "score").iterator(5000):
        scores[obj_id][group_id].append(Fraction(score))
    if not scale.numeric:
        points = {n: Fraction(p) for n, p in scale.labels}
        for obj_id, group_id, label, count in PaperTally.objects.filter(campaign=campaign).values_list(
                "object_id", "group_id", "label", "count"):
            scores[obj_id][group_id].extend([points[label]] * count)
    out = {}
    for obj_id in campaign.objects_rated.values_list("id", flat=True):
        groups = scores.get(obj_id, {})
        out[obj_id] = rules.aggregate({g: (weights[g], groups.get(g, [])) for g in weights},
                                      min_group=campaign.min_group, trim_pct=campaign.trim_pct)
    return out


def _label_counts(campaign: Campaign, counted: dict[int, set[int]]) -> dict[int, dict[str, int]]:
    """等次票折算: the labels cast for each object by the groups that count (every dimension's label)."""
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = BallotScore.objects.filter(ballot__campaign=campaign).values_list("ballot__object_id", "ballot__group_id",
                                                                            "rating")
    for obj_id, group_id, label in rows.iterator(5000):
        if group_id in counted.get(obj_id, ()):
            out[obj_id][label] += 1
    ndims = len(campaign.dims)
    for obj_id, group_id, label, count in PaperTally.objects.filter(campaign=campaign).values_list(
            "object_id", "group_id", "label", "count"):
        if group_id in counted.get(obj_id, ()):
            out[obj_id][label] += count * ndims
    return out


@transaction.atomic
def campaign_close(*, actor: Actor, scope: Scope, campaign: Campaign) -> list[Result]:
    """Close the campaign and write its results into the indicator (see the module's doc)."""
    campaign = Campaign.objects.select_for_update().select_related("assessment", "period").get(pk=campaign.pk)
    require_office(scope, campaign.assessment.organisation_id)
    if campaign.status != Campaign.Status.OPEN:
        raise ServiceError(f"测评活动「{campaign.name}」{campaign.get_status_display()}，不能结束")
    results = compute(campaign)
    objects = {o.pk: o for o in AssessedObject.objects.filter(pk__in=list(results)).select_related(
        "category", "unit")}
    source = source_of(campaign)
    fed: dict[int, str] = {}
    period = campaign.period
    if campaign.feed == Campaign.Feed.VALUE:
        rows = [ValueInput(object=objects[o].code, indicator=campaign.indicator, variable="value", value=r.score,
                           note=source) for o, r in results.items() if r.score is not None]
        if rows:
            values_bulk_upsert(actor=actor, scope=scope, period=period, rows=rows, via="evaluation",
                               change_note=f"来自{source}")
        fed = {o: f"数值 {r.score:f}" for o, r in results.items() if r.score is not None}
    elif campaign.feed == Campaign.Feed.SCORE:
        catalog = catalog_of(campaign.assessment)
        brows = []
        for o, r in results.items():
            if r.score is None:
                continue
            obj = objects[o]
            category = catalog.category_of_group(obj.group)
            leaf = catalog.leaf(category, campaign.indicator) if category else None
            pts = Decimal(str(leaf.points)) if leaf is not None and leaf.points is not None else campaign.the_scale.full
            low = Decimal(0)
            if leaf is not None and leaf.score_range is not None:  # the indicator's own range of scores
                low, pts = (Decimal(str(x)) for x in leaf.score_range)
            value = rules.convert(r.score, full=campaign.the_scale.full, points=pts, low=low)
            brows.append((obj, format(value.normalize(), "f"), 1))
            fed[o] = f"得分 {value.normalize():f}"
        ballots_replace(actor=actor, scope=scope, period=period, indicator=campaign.indicator, source=source,
                        rows=brows)
    else:
        counted = {o: {g for g, gr in r.groups.items() if gr.counts} for o, r in results.items()}  # type: ignore[misc]
        labels = _label_counts(campaign, counted)  # type: ignore[arg-type]
        brows = [(objects[o], label, n) for o, by in labels.items() for label, n in sorted(by.items()) if n]
        ballots_replace(actor=actor, scope=scope, period=period, indicator=campaign.indicator, source=source,
                        rows=brows)
        fed = {o: "、".join(f"{k}{v}票" for k, v in by.items() if v) for o, by in labels.items()}
    stored = [Result(campaign=campaign, object_id=o, score=r.score, ballots=r.ballots, fed=fed.get(o, "")[:60],
                     groups={str(g): {"n": gr.n, "mean": None if gr.mean is None else format(rules.quantize(gr.mean),
                                                                                              "f")}
                             for g, gr in r.groups.items()})
              for o, r in results.items()]
    Result.objects.filter(campaign=campaign).delete()
    Result.objects.bulk_create(stored)
    campaign.status, campaign.closed_at = Campaign.Status.CLOSED, timezone.now()
    campaign.version += 1
    campaign.save(update_fields=["status", "closed_at", "version"])
    audit_record(actor=actor, action="campaign_close", instance=campaign,
                 after={"results": sum(1 for r in results.values() if r.score is not None),
                        "ballots": sum(r.ballots for r in results.values())})
    return stored
