"""``manage.py demo_load [--seed N]``: load the demo data set once and print its accounts.

A second run writes nothing and says the demo is already loaded (``make run`` calls it every time).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.core.errors import ServiceError
from jixiao.demo.builder import DemoSummary, build_demo
from jixiao.org.models import RoleGrant

COUNT_LABELS = [
    ("organisations", "组织（相互独立）"), ("units", "单位"), ("people", "人员"), ("objects", "考核对象"),
    ("objects:xiangzhen", "  乡镇"),
    ("objects:bumen", "  县直部门和单位"), ("objects:gucheng", "  古城风貌恢复单位"), ("objects:keshi", "  财政局股室"),
    ("objects:zhengzhi", "  中层正职"), ("objects:geren", "  中层副职和一般人员"), ("values", "台帐数值"),
    ("values_draft", "  其中草稿"), ("values_returned", "  其中退回"), ("incidents", "加减分和否决事项"),
    ("incidents_pending", "  其中待审批"), ("ballots", "评价票"), ("reminders", "催报通知"),
    ("results", "考核结果"),
    ("periods_closed", "已关闭考核期"), ("matters", "督办事项"), ("rectifications", "整改事项"),
    ("matters_open", "  其中办理中"), ("matters_red", "  其中红灯"), ("extensions_pending", "延期申请待审批"),
    ("values_supervision", "督办系统计数的台帐数值"),
]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def render(summary: DemoSummary) -> str:
    """The accounts table and the counts, as printed by the command."""
    head = ("账号", "身份", "角色", "范围")
    rows = [(a.username, a.display, str(RoleGrant.Role(a.role).label), a.scope) for a in summary.accounts]
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(3)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(r[:3], widths)) + "  " + r[3] for r in [head, *rows]]
    lines.insert(1, "-" * (sum(widths) + 6 + _width(head[3])))
    lines += ["", f"所有演示账号的密码：{summary.password}", ""]
    lines += [f"{_pad(label, 22)}{summary.counts.get(key, 0):>6}" for key, label in COUNT_LABELS]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Load the demo data set (a county and a finance bureau, a year of data) once; print its accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2024, help="random seed of the data (default 2024)")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        if getattr(settings, "PRODUCTION", False):
            # The demo's accounts share a published password: never in a production installation.
            raise CommandError("生产模式（JIXIAO_ENV=production）下不能加载演示数据：演示账号的密码是公开的。")
        try:
            summary = build_demo(seed=options["seed"])
        except ServiceError as e:
            raise CommandError(f"演示数据未能加载：{e.message}") from None
        if summary.created:
            done = f"演示数据已建立（seed {summary.seed}，用时 {summary.seconds:.1f} 秒）。"
            self.stdout.write(self.style.SUCCESS(done))
        else:
            seed = f"seed {summary.seed}" if summary.seed is not None else "seed 未知"
            self.stdout.write(f"演示数据已经加载（{seed}），未做任何修改。")
        self.stdout.write(render(summary))
