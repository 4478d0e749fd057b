"""The demo's supervision: 2024 matters counted into the county's ``督办事项办理`` indicator (and
its scores), and live matters around today in every state and every light, with milestones,
attachments, a return, an approved and a pending extension, and inboxes for the unit accounts."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from pypdf import PdfReader

from jixiao.collection.models import Value
from jixiao.core import clock
from jixiao.demo.supervision import HISTORY
from jixiao.engine.trace import explain
from jixiao.org.selectors import scope_for_user
from jixiao.schemes.models import Assessment, Period
from jixiao.scoring.services import score_assessment
from jixiao.supervision.lights import LIGHTS
from jixiao.supervision.models import Attachment, Extension, Matter, Milestone
from jixiao.supervision.selectors import extensions_pending, inbox, lights_for, matters_visible

pytestmark = pytest.mark.django_db
VARIABLES = ("due", "on_time", "overdue", "returned")


def fed(code: str, period: str) -> dict[str, int]:
    return {v: int(x) for v, x in Value.objects.filter(period__assessment__code="zhengding-2024", period__code=period,
                                                        object__code=code, indicator="dbsx")
            .values_list("variable", "value")}


def live() -> list[Matter]:
    """The matters written after 2024's (whatever year today is)."""
    return list(Matter.objects.order_by("pk")[len(HISTORY):])


def test_2024_matters_feed_the_supervision_indicator(built):
    assert len(HISTORY) == 14
    assert all(m.year == 2024 and m.state == Matter.State.CLOSED for m in Matter.objects.order_by("pk")[:14])
    # 南牛乡: five matters due in 2024, one reported late, one returned once; three of them by June.
    assert fed("nanniu", "2024-end") == {"due": 5, "on_time": 4, "overdue": 1, "returned": 1}
    assert fed("nanniu", "2024-mid") == {"due": 3, "on_time": 2, "overdue": 1, "returned": 1}
    assert fed("czj", "2024-end") == {"due": 4, "on_time": 3, "overdue": 1, "returned": 1}
    assert fed("tjj", "2024-end") == {"due": 2, "on_time": 1, "overdue": 1, "returned": 0}
    # 县教育局's returned, late rectification item is not a 督办事项: it does not count here.
    assert fed("jyj", "2024-end") == {"due": 2, "on_time": 2, "overdue": 0, "returned": 0}
    # Every town and department has its counts (zeros without matters), written by the system.
    values = Value.objects.filter(period__assessment__code="zhengding-2024", indicator="dbsx")
    assert values.count() == (7 + 32) * 2 * len(VARIABLES)
    assert not values.exclude(status=Value.Status.VERIFIED).exists()
    assert not values.exclude(changes__via="supervision").exists()
    assert fed("zfb", "2024-end") == dict.fromkeys(VARIABLES, 0)
    # The first half is closed with its counts.
    assert Period.objects.get(assessment__code="zhengding-2024", code="2024-mid").status == Period.Status.CLOSED
    assert built.counts["values_supervision"] == values.count()


def test_the_counts_reach_the_scores(built):
    assessment = Assessment.objects.get(code="zhengding-2024")
    result, _, _ = score_assessment(assessment, {"xiangzhen", "bumen"})

    def leaf(code: str) -> dict[str, float]:
        node = next(n for n in _walk(explain(result, code)) if n.code == "dbsx")
        return {p["period"]: p["score"] for p in node.periods}

    assert leaf("nanniu") == {"2024-mid": pytest.approx(1.67), "2024-end": pytest.approx(2.2)}  # 4×⅔−1, 4×⅘−1
    assert leaf("czj") == {"2024-mid": pytest.approx(3.5), "2024-end": pytest.approx(2.0)}
    assert leaf("xinan") == {"2024-mid": 4.0, "2024-end": 4.0}  # nothing due: full marks


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


def test_live_matters_show_every_state_and_every_light(built):
    matters = live()
    kinds = Counter(m.kind for m in matters)
    assert kinds == {Matter.Kind.SUPERVISION: 25, Matter.Kind.RECTIFICATION: 10}
    assert {m.state for m in matters} == set(Matter.State.values)
    lights = lights_for([m.pk for m in matters])
    for kind in Matter.Kind.values:
        assert {lights[m.pk] for m in matters if m.kind == kind} == set(LIGHTS), kind
    today = clock.today()
    assert min(m.deadline for m in matters) >= today.fromordinal(today.toordinal() - 10)
    assert built.counts["matters_red"] == sum(1 for m in matters if lights[m.pk] == "red") >= 5
    assert (built.counts["matters"], built.counts["rectifications"]) == (25 + 13, 10 + 1)  # with 2024's


def test_live_matters_carry_milestones_returns_extensions_and_attachments(built, settings, demo_media):
    matters = live()
    returned = [m for m in matters if m.state == Matter.State.RETURNED]
    assert len(returned) == 1 and returned[0].return_reason and returned[0].return_count == 1
    assert Milestone.objects.filter(matter__in=matters, done_on__isnull=False).exists()
    assert Milestone.objects.filter(matter__in=matters, done_on__isnull=True, due__lt=clock.today()).exists()
    moved = [m for m in matters if m.original_deadline != m.deadline]
    assert len(moved) == 1 and moved[0].extensions.get().status == Extension.Status.APPROVED
    fgld = get_user_model().objects.get(username="fgld")
    pending = list(extensions_pending(scope=scope_for_user(fgld)))
    assert len(pending) == 1 and pending[0].matter.leader_id == fgld.pk
    settings.MEDIA_ROOT = demo_media
    atts = Attachment.objects.filter(feedback__matter__in=matters)
    names = {a.name.rsplit(".", 1)[1] for a in atts}
    assert names == {"pdf", "txt"}
    for att in atts:
        data = att.file.open("rb").read()
        assert len(data) == att.size < 2048
        if att.name.endswith(".pdf"):
            assert "completion report" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
        else:
            assert "进展" in data.decode("utf-8")


@pytest.mark.parametrize(("username", "unit"), [("nanniu_tb", "nanniu"), ("nanniu_fzr", "nanniu"),
                                                ("jyj_tb", "jyj"), ("tjj_tb", "tjj"), ("czj_tb", "czj")])
def test_unit_accounts_find_their_matters_in_their_inbox(built, username, unit):
    user = get_user_model().objects.get(username=username)
    rows = inbox(scope=scope_for_user(user))["rows"]
    assert len(rows) >= 2
    assert all(r.matter.lead_unit.code == unit or unit in {c.code for c in r.matter.co_units.all()} for r in rows)


def test_leaders_in_charge_are_the_demo_leaders(built):
    users = get_user_model().objects
    in_charge = Counter(m.leader.username for m in Matter.objects.exclude(leader=None).select_related("leader"))
    assert set(in_charge) == {"leader", "fgld"} and min(in_charge.values()) >= 5
    fgld = scope_for_user(users.get(username="fgld"))
    assert set(matters_visible(scope=fgld).values_list("lead_unit__code", flat=True)) == {"tjj", "czj"}
    numbers = set(Matter.objects.values_list("number", flat=True))
    assert {"DB-2024-0001", "ZG-2024-0001"} <= numbers and len(numbers) == len(HISTORY) + 35


def test_this_mornings_reminders_reach_the_units(built):
    from jixiao.supervision.models import Notice
    from jixiao.supervision.selectors import notices_for

    notices = list(Notice.objects.select_related("matter"))
    assert notices and {n.light for n in notices} == {"yellow", "red"}
    assert all(n.issued_on == clock.today() and n.unit_id == n.matter.lead_unit_id for n in notices)
    nanniu = scope_for_user(get_user_model().objects.get(username="nanniu_tb"))
    assert inbox(scope=nanniu)["notices"] and all(n.unit.code == "nanniu" for n in notices_for(scope=nanniu))
