"""In a real browser, printed: the ranking page on paper has no top bar, no buttons and no
forms, but its table; the PDF Chromium prints is A4 landscape (a wide table) and holds the towns'
Chinese names. The published page prints its title, the withdrawn notice and the table."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import pytest
from conftest import browser_login
from pypdf import PdfReader

from jixiao.scoring.models import Publication
from jixiao.scoring.services import publication_withdraw

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
A4 = (595, 842)  # points, portrait


def _pdf(page: Any) -> PdfReader:
    return PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))


def _text(reader: PdfReader) -> str:
    # Chromium's CJK font maps some characters to their Kangxi-radical twins (示 → ⽰) and "ffi" to
    # a ligature; NFKC folds them back. Spaces and line breaks are layout, not text.
    raw = "".join(p.extract_text() or "" for p in reader.pages)
    return "".join(unicodedata.normalize("NFKC", raw).split())


def test_ranking_prints_clean(ranked: Any, page: Any) -> None:
    browser_login(page, "office")
    page.goto(page.base + "/results/mini-2024/category/town/")
    # On screen: the controls are there.
    assert page.locator("header.topbar").is_visible()
    assert page.locator(".print-button").is_visible()
    assert page.locator("#publish-form button").is_visible()

    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert not page.locator(".print-button").is_visible()
    assert not page.locator("#publish-form").is_visible()
    assert not page.locator("#publications-link").is_visible()
    assert not page.locator("main nav").first.is_visible()  # the category tabs
    assert page.locator("#ranking").is_visible()
    assert page.locator("#ranking tr[data-object=west]").is_visible()
    assert page.locator("#ranking thead").evaluate("e => getComputedStyle(e).display") == "table-header-group"
    assert page.locator("#ranking td").first.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"

    reader = _pdf(page)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (A4[1], A4[0])  # landscape
    text = _text(reader)
    for name in ("乡镇", "东镇", "西镇", "综合得分", "不合格"):
        assert name in text, name
    for control in ("发布结果", "退出", "打印", "考核方案"):
        assert control not in text, control


def test_published_page_prints_withdrawn_notice(publication: Publication, ranked: Any, scope: Any,
                                                page: Any) -> None:
    publication_withdraw(actor=ranked.office, scope=scope(ranked.office), publication=publication,
                         reason="数据有误重新公示")
    browser_login(page, "east_reporter")
    page.goto(page.base + f"/results/published/{publication.token}/")
    page.emulate_media(media="print")
    assert page.locator("#withdrawn").is_visible()
    assert not page.locator(".copy-link").is_visible()
    assert page.locator("#published").is_visible()
    text = _text(_pdf(page))
    for words in ("测试县2024年度考核 乡镇 考核结果公示", "已撤回", "撤回原因", "数据有误重新公示", "西镇", "东镇",
                  "第1次公示"):
        assert words.replace(" ", "") in text, words
