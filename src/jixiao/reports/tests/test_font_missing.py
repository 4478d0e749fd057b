"""Without a Chinese font a PDF download answers with a page naming the package to install (503),
not a PDF of empty boxes; the XLSX still downloads."""

from __future__ import annotations

import pytest

from jixiao.core import exports

pytestmark = pytest.mark.django_db


def test_no_chinese_font_names_the_package(towns, client, monkeypatch):
    monkeypatch.setattr(exports, "cjk_font", lambda: exports.find_cjk_font(paths=(), fontconfig=False))
    client.force_login(towns.office)
    r = client.get("/reports/mini-2024/summary/town.pdf")
    assert r.status_code == 503 and r["Content-Type"].startswith("text/html")
    html = r.content.decode()
    assert "apt-get install -y fonts-noto-cjk" in html and "无法生成 PDF" in html
    assert client.get("/reports/mini-2024/summary/town.xlsx").status_code == 200
