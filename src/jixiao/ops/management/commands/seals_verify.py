"""``manage.py seals_verify [--reseal]``: check the HMAC-SM3 seal of every stored result and
publication (jixiao.scoring.seals); names the broken ones and exits non-zero when there are any.

Key rotation (``JIXIAO_SEAL_KEY=new:<hex>,old:<hex>``): ``--reseal`` first verifies everything
under the ring, then — only when every seal holds, so a tampered record is never laundered —
seals every record again under the active key. Audited."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from jixiao.audit.services import audit_event
from jixiao.scoring.seals import broken_everywhere, reseal_everything


class Command(BaseCommand):
    help = "Verify the HMAC-SM3 seals of results and publications; --reseal re-seals under the active key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reseal", action="store_true",
                            help="after a clean check, seal again under the active key")

    def handle(self, *args: Any, **options: Any) -> None:
        broken = list(broken_everywhere())
        if broken:
            names = "、".join(f"{'考核结果' if k == 'result' else '结果公示'} #{i}" for k, i in broken[:20])
            audit_event(actor=None, system="seals_verify", action="seal_broken", target="seals", outcome="failure",
                        summary=f"{len(broken)} 条记录的 HMAC-SM3 封印校验未通过",
                        after={"broken": [f"{k}:{i}" for k, i in broken[:50]]})
            more = "等" if len(broken) > 20 else ""
            raise CommandError(f"HMAC-SM3 封印校验未通过 {len(broken)} 条：{names}{more}")
        if options["reseal"]:
            with transaction.atomic():
                n = reseal_everything()
                audit_event(actor=None, system="seals_verify", action="seals_reseal", target="seals",
                            summary=f"{n} 条记录已用当前密钥重新封印", after={"rows": n})
            self.stdout.write(f"封印完好，已用当前密钥重新封印 {n} 条")
            return
        self.stdout.write("考核结果与结果公示的 HMAC-SM3 封印全部完好")
