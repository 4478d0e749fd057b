"""System checks (``manage.py check``) for the reminder settings, so a misspelt channel or a bad
reminder time stops the site at start-up instead of the first daily run.

Registered on import; the app's ``AppConfig.ready`` imports this module.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.core import checks

from jixiao.supervision.channels import configuration_problems

TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def remind_at(value: str) -> dt.time:
    """``JIXIAO_REMIND_AT`` (``HH:MM``, 24-hour) as a time; ``ValueError`` with a readable message."""
    m = TIME.match(value.strip())
    if m is None or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError(f"JIXIAO_REMIND_AT 须为 24 小时制的 HH:MM（如 08:30），现为“{value}”")
    return dt.time(int(m.group(1)), int(m.group(2)))


@checks.register("jixiao")
def check_reminder_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = [
        checks.Error(p, id="jixiao.supervision.E001") for p in configuration_problems()]
    try:
        remind_at(settings.JIXIAO_REMIND_AT)
    except ValueError as e:
        errors.append(checks.Error(str(e), id="jixiao.supervision.E002"))
    return errors
