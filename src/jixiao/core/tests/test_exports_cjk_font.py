"""Finding a Chinese font for PDFs: Debian's Noto CJK where it is, fontconfig otherwise, and a
clear error naming the package when there is none; downloads get safe Chinese file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.core import exports


def test_a_known_path_wins(tmp_path: Path) -> None:
    face = tmp_path / "NotoSansCJK-Regular.ttc"
    face.write_bytes(b"x")
    assert exports.find_cjk_font(paths=(tmp_path / "missing.ttc", face), fontconfig=False) == exports.CjkFont(
        "Noto Sans CJK SC", face)


def test_fontconfig_fallback_must_be_a_cjk_family(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {"fc-match": "DejaVu Sans|/usr/share/fonts/DejaVuSans.ttf", "fc-list": ""}
    monkeypatch.setattr(exports, "_fc", lambda args: answers[args[0]])
    with pytest.raises(exports.FontMissing, match="apt-get install -y fonts-noto-cjk"):
        exports.find_cjk_font(paths=())  # DejaVu would print boxes: not accepted
    answers["fc-list"] = "WenQuanYi Zen Hei|/usr/share/fonts/wqy-zenhei.ttc\n"
    assert exports.find_cjk_font(paths=()) == exports.CjkFont("WenQuanYi Zen Hei",
                                                              Path("/usr/share/fonts/wqy-zenhei.ttc"))
    answers["fc-match"] = "Source Han Sans SC|/opt/fonts/SourceHanSansSC.otf"
    assert exports.find_cjk_font(paths=()).family == "Source Han Sans SC"


def test_no_font_at_all() -> None:
    with pytest.raises(exports.FontMissing) as e:
        exports.find_cjk_font(paths=(), fontconfig=False)
    assert "fonts-noto-cjk" in str(e.value) and "中文字体" in str(e.value)


def test_the_pdf_fetches_nothing_from_the_network() -> None:
    fetch = exports.local_fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetch("http://169.254.169.254/latest/meta-data")
    assert fetch("data:text/plain,ok").read() == b"ok"


def test_download_names() -> None:
    assert exports.download_name("督办通报（2026年03月06日）-2026年第1期", ".pdf") == \
        "督办通报（2026年03月06日）-2026年第1期.pdf"
    assert exports.download_name("../a/b:c\n", ".xlsx") == "a_b_c.xlsx"
    assert exports.download_name("///", ".xlsx") == "download.xlsx"
    header = exports.attachment_header("通报 1.xlsx", "bulletin-1.xlsx")
    assert header == "attachment; filename=\"bulletin-1.xlsx\"; filename*=UTF-8''%E9%80%9A%E6%8A%A5%201.xlsx"
