"""A bulletin as PDF: the print template (the same one the on-screen print view shows) rendered by
WeasyPrint with a Chinese font. Drawn from the stored snapshot only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string

from jixiao.core.exports import pdf_from_html
from jixiao.supervision.bulletin_data import group_labels

PRINT_TEMPLATE = "supervision/bulletin_print.html"
KIND_SHORT = {"supervision": "督办", "rectification": "整改"}


def _cn(text: str | None) -> str:
    return f"{dt.date.fromisoformat(text):%Y年%m月%d日}" if text else ""


def snapshot_context(bulletin: Any) -> dict[str, Any]:
    """The stored snapshot laid out for the templates: state counts in column order, dates as the
    office writes them. Shared by the detail page, the print view and the PDF."""
    data = bulletin.data
    groups = group_labels(data)

    def unit(u: dict[str, Any]) -> dict[str, Any]:
        return {**u, "state_counts": [u["states"].get(g, 0) for g, _ in groups]}

    return {
        "bulletin": bulletin,
        "snap": data,
        "groups": [label for _g, label in groups],
        "units": [unit(u) for u in data["units"]],
        "totals": unit(data["totals"]),
        "overdue": [{**o, "kind_label": KIND_SHORT.get(o["kind"], o["kind"]), "deadline_cn": _cn(o["deadline"])}
                    for o in data["overdue"]],
        "not_fed_back": data["not_fed_back"],
        "rectification": data.get("rectification"),
        "date_from_cn": _cn(data["date_from"]),
        "date_to_cn": _cn(data["date_to"]),
    }


def bulletin_html(bulletin: Any, *, for_pdf: bool = False) -> str:
    return render_to_string(PRINT_TEMPLATE, {**snapshot_context(bulletin), "for_pdf": for_pdf})


def bulletin_pdf(bulletin: Any) -> bytes:
    """The PDF (the template loads nothing, so it needs no base URL). Without a Chinese font it
    raises ``jixiao.core.exports.FontMissing``, which names the package to install."""
    return pdf_from_html(bulletin_html(bulletin, for_pdf=True), base_url=None)
