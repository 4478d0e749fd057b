"""The PDF of a bulletin: a real PDF (WeasyPrint, A4) whose text, read back by pypdf, holds the
Chinese unit names; rendered to an image when poppler's pdftoppm is installed; a clear error
naming the font package when no Chinese font exists."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from jixiao.core import exports
from jixiao.supervision.services.bulletins import bulletin_create, bulletin_publish

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def published(sv):
    c = sv.cast
    sv.travel(D(2026, 3, 6))
    office = sv.scope(c.office)
    b = bulletin_create(actor=c.office, scope=office, date_from=D(2026, 3, 1), date_to=D(2026, 3, 6))
    return bulletin_publish(actor=c.office, scope=office, bulletin=b)


def test_pdf_download_holds_the_chinese_text(published, client, tmp_path):
    client.force_login(published.published_by)
    r = client.get(f"/supervision/bulletins/{published.pk}/bulletin.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in r["Content-Disposition"] and r["Content-Disposition"].endswith(".pdf")
    assert r.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(r.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape, in points
    text = "".join(p.extract_text() for p in reader.pages)
    for words in ("督办通报（2026年03月06日）", "东镇", "西镇", "逾期事项", "整治道路扬尘", "逾期2天", "未反馈"):
        assert words in text, words
    if shutil.which("pdftoppm") is None:
        return  # poppler-utils is not installed: the rendering check needs it
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(r.content)
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-gray", "-png", str(pdf), str(tmp_path / "p")],
                   check=True, timeout=60)
    [png] = tmp_path.glob("p*.png")
    from PIL import Image

    histogram = Image.open(png).convert("L").histogram()  # pixels per grey level, 0 = black
    dark = sum(histogram[:128])
    assert dark > sum(histogram) * 0.002, "page 1 rendered blank"


def test_no_chinese_font_names_the_package(published, client, monkeypatch):
    with pytest.raises(exports.FontMissing, match="fonts-noto-cjk"):
        exports.find_cjk_font(paths=(), fontconfig=False)

    def missing():
        return exports.find_cjk_font(paths=(), fontconfig=False)

    monkeypatch.setattr(exports, "cjk_font", missing)
    client.force_login(published.published_by)
    r = client.get(f"/supervision/bulletins/{published.pk}/bulletin.pdf", follow=True)
    assert r.redirect_chain[0][0] == f"/supervision/bulletins/{published.pk}/"
    assert "apt-get install -y fonts-noto-cjk" in r.content.decode()
