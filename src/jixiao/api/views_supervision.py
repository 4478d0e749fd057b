"""Supervised matters over the API: scoped lists with their computed lights, and one matter's
chain — for dashboards, DingTalk/WeCom bots and the city's own supervision platform."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from jixiao.api.views import Page, ScopedMixin
from jixiao.core import clock
from jixiao.supervision.lights import LIGHTS, Light
from jixiao.supervision.models import Matter
from jixiao.supervision.selectors import lights_of, matter_detail, matter_rows


class MatterSerializer(serializers.Serializer[Any]):
    number = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    level = serializers.CharField()
    urgency = serializers.CharField()
    state = serializers.CharField()
    kind_label = serializers.CharField(help_text="类别, in words")
    source_label = serializers.CharField(help_text="来源, in words")
    level_label = serializers.CharField()
    urgency_label = serializers.CharField()
    state_label = serializers.CharField(help_text="状态, in words")
    light = serializers.ChoiceField(choices=LIGHTS)
    light_label = serializers.CharField(help_text="红灯 / 黄灯 / 绿灯 / 未交办 / 已办结")
    light_reason = serializers.CharField(help_text="why the light, in words (the same text the pages print)")
    lead_unit = serializers.CharField(help_text="unit code")
    lead_unit_name = serializers.CharField()
    co_units = serializers.ListField(child=serializers.CharField(), help_text="unit codes")
    co_unit_names = serializers.ListField(child=serializers.CharField())
    leader = serializers.CharField(allow_null=True, help_text="user name")
    leader_name = serializers.CharField(allow_null=True)
    assigned_on = serializers.DateField(allow_null=True)
    deadline = serializers.DateField()
    overdue_days = serializers.IntegerField(help_text="calendar days past the deadline (supervision.lights)")
    return_count = serializers.IntegerField()
    id = serializers.IntegerField()


class StepSerializer(serializers.Serializer[Any]):
    action = serializers.CharField()
    state_before = serializers.CharField()
    state_after = serializers.CharField()
    note = serializers.CharField()
    actor = serializers.CharField()
    on = serializers.DateField()


class MatterDetailSerializer(MatterSerializer):
    content = serializers.CharField()
    materials = serializers.ListField(child=serializers.CharField())
    milestones = serializers.ListField(child=serializers.DictField())
    steps = StepSerializer(many=True)


def _row(m: Matter, light: Light) -> dict[str, Any]:
    """A matter as the API gives it: codes for machines, names for people, and the light, its
    reason and overdue days from the one rule (``lights.light_of``) the pages use."""
    co = list(m.co_units.all())
    return {"id": m.pk, "number": m.number, "kind": m.kind, "title": m.title, "source": m.source, "level": m.level,
            "urgency": m.urgency, "state": m.state, "kind_label": m.get_kind_display(),
            "source_label": m.get_source_display(), "level_label": m.get_level_display(),
            "urgency_label": m.get_urgency_display(), "state_label": m.get_state_display(),
            "light": light.colour, "light_label": light.label, "light_reason": light.reason,
            "lead_unit": m.lead_unit.code, "lead_unit_name": m.lead_unit.name,
            "co_units": [u.code for u in co], "co_unit_names": [u.name for u in co],
            "leader": m.leader.get_username() if m.leader else None,
            "leader_name": (m.leader.get_full_name() or m.leader.get_username()) if m.leader else None,
            "assigned_on": m.assigned_on, "deadline": m.deadline, "overdue_days": light.overdue_days,
            "return_count": m.return_count}


FILTERS = [OpenApiParameter(n, OpenApiTypes.STR, description=d) for n, d in (
    ("kind", "supervision | rectification"), ("light", "green | yellow | red | waiting | done"),
    ("state", "a Matter state"), ("q", "text in the number, title or content"))]


@extend_schema(summary="Supervised matters (督办事项 / 整改事项) the scope sees, with their lights",
               parameters=FILTERS, responses=MatterSerializer(many=True))
class MatterList(ScopedMixin):
    pagination_class = Page

    def get(self, request: Request) -> Response:
        p = request.query_params
        rows = matter_rows(scope=self.scope, kind=p.get("kind") or None, light=p.get("light") or None,
                           state=p.get("state") or None, q=p.get("q", ""))
        paginator = Page()
        page = paginator.paginate_queryset(rows, request, view=self) or []  # type: ignore[arg-type]
        data = [_row(r.matter, Light(r.light, r.reason, r.overdue_days)) for r in page]
        return paginator.get_paginated_response(data)


@extend_schema(summary="One matter with its milestones and chain of steps (流转记录)",
               responses=MatterDetailSerializer)
class MatterDetail(ScopedMixin):
    pagination_class = None

    def get(self, request: Request, pk: int) -> Response:
        try:
            m = matter_detail(scope=self.scope, pk=pk)
        except Matter.DoesNotExist:
            raise Http404 from None
        data = _row(m, lights_of([m.pk], today=clock.today())[m.pk])
        data.update(content=m.content, materials=m.material_list,
                    milestones=[{"title": ms.title, "due": ms.due, "done_on": ms.done_on} for ms in m.milestones.all()],
                    steps=[{"action": st.action, "state_before": st.state_before, "state_after": st.state_after,
                            "note": st.note, "actor": st.actor_label, "on": st.on} for st in m.steps.all()])
        return Response(data)
