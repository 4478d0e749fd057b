"""The PDFs: real A4 files (WeasyPrint) whose text, read back by pypdf, holds the title and the
Chinese names; page 1 rendered by poppler's pdftoppm is not blank."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def _render_page_one(content: bytes, tmp_path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(content)
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-gray", "-png", str(pdf), str(tmp_path / "p")],
                   check=True, timeout=60)
    [png] = tmp_path.glob("p*.png")
    assert png.stat().st_size > 5000
    from PIL import Image

    histogram = Image.open(png).convert("L").histogram()
    assert sum(histogram[:128]) > sum(histogram) * 0.002, "page 1 rendered blank"


def _pdf(client, url):
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].endswith(".pdf") and r.content.startswith(b"%PDF")
    return r, PdfReader(io.BytesIO(r.content))


def test_summary_pdf(towns, client, tmp_path):
    client.force_login(towns.office)
    r, reader = _pdf(client, "/reports/mini-2024/summary/town.pdf")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape, in points
    text = "".join(p.extract_text() for p in reader.pages)
    for words in ("测试县2024年度考核汇总表", "东镇", "西镇", "北镇", "各项得分", "综合评定", "98.00", "先进"):
        assert words in text, words
    _render_page_one(r.content, tmp_path)


def test_rewards_and_handbook_pdf(people, client, tmp_path):
    client.force_login(people.cast.office)
    _r, reader = _pdf(client, "/reports/people-2024/rewards/ganbu.pdf")
    text = "".join(p.extract_text() for p in reader.pages)
    for words in ("测试县2024年度干部考核结果兑现表", "兑现基数：工作性津补贴", "王东", "津补贴上浮20%", "等次统计"):
        assert words in text, words
    r, reader = _pdf(client, "/reports/people-2024/handbook/ganbu.pdf")
    assert len(reader.pages) == 3  # a page per person
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 upright
    pages = [p.extract_text() for p in reader.pages]
    assert "王东" in pages[0] and "李东" in pages[1] and "赵西" in pages[2]
    assert "个人得分记分手册" in pages[2] and "2024年第三季度" in pages[2] and "全年综合" in pages[2]
    _render_page_one(r.content, tmp_path)
