"""The business date. Deadlines, lights and reminders are whole days in the site's time zone;
tests move the clock with time-machine rather than passing dates through every layer."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()
