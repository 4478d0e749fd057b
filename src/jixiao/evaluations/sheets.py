"""The A4 sheet of one-time tokens (评价码): a card per token with its QR code (the rating page's
address) and the short code a rater can type at /e/ instead. Rendered once, when the tokens are
issued: only their hashes are kept, so the sheet cannot be printed again."""

from __future__ import annotations

import segno
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from jixiao.core.exports import pdf_from_html
from jixiao.evaluations.models import Campaign, RaterGroup


def short_code(token: str) -> str:
    """The token in groups of four, for typing (spaces are ignored when it is entered)."""
    return " ".join(token[i:i + 4] for i in range(0, len(token), 4))


def tokens_pdf(request: HttpRequest, *, campaign: Campaign, group: RaterGroup, issued: list[tuple[int, str]]) -> bytes:
    cards = []
    for serial, token in issued:
        url = request.build_absolute_uri(reverse("evaluate:rate", args=[token]))
        qr = segno.make(url, error="m")
        cards.append({"serial": serial, "code": short_code(token), "qr": qr.svg_data_uri(scale=3, border=1)})
    html = render_to_string("evaluations/tokens_sheet.html", {
        "campaign": campaign, "group": group, "cards": cards,
        "entry": request.build_absolute_uri(reverse("evaluate:enter"))})
    return pdf_from_html(html, cache=False)  # the tokens are not kept, not even in a cache
