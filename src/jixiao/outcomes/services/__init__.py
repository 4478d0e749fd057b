"""Every write of the use of results (结果运用)."""

from jixiao.outcomes.services.appeals import appeal_decide, appeal_file, appeal_republish
from jixiao.outcomes.services.archive import year_archive

__all__ = ["appeal_decide", "appeal_file", "appeal_republish", "year_archive"]
