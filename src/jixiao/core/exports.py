"""Helpers for the official tables the office downloads: spreadsheet cells that cannot run as
formulas, download names, and PDFs from HTML with a Chinese font.

Formula injection (CSV/XLSX injection): a cell whose text begins with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return, which some spreadsheets skip before reading the rest as a formula)
may be evaluated when the file is opened. Text typed by users (matter titles, unit names, notes)
goes through :func:`safe_cell` before it lands in a cell.

The guard is a leading apostrophe ``'``, as OWASP recommends. We chose it over the alternatives
because it survives every conversion the office makes (XLSX → CSV → WPS → back), where a cell
style such as Excel's ``quotePrefix`` is lost on the first save as CSV; and over an invisible
character (a zero-width space) because a reader can see why the text looks different and a
search for the original text still finds it after the first character. In a file written by
openpyxl the apostrophe is part of the text and therefore visible — a deliberate, rare mark on
text that begins with a formula sign.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from openpyxl.styles import Alignment, Font, PatternFill

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet may hold it: text starting with a formula trigger gets a
    leading apostrophe; other text and non-text values (numbers, dates, None) pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return GUARD + value
    return value


_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def download_name(text: str, suffix: str) -> str:
    """A file name for a download: the text without path separators, control characters or the
    characters Windows refuses, trimmed to a length every file system takes."""
    stem = _UNSAFE_NAME.sub("_", text).strip(" ._") or "download"
    return f"{stem[:80]}{suffix}"


def attachment_header(name: str, fallback: str) -> str:
    """Content-Disposition for a download with a Chinese name: an ASCII ``filename`` for old
    clients and the UTF-8 ``filename*`` (RFC 6266 / RFC 5987) every current browser uses."""
    ascii_name = _UNSAFE_NAME.sub("_", fallback).encode("ascii", "replace").decode("ascii").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


# --- XLSX: what every printed table shares ---------------------------------------------------------

def xlsx_print_setup(ws: Any, *, title_rows: str, landscape: bool = True) -> None:
    """A sheet as the office prints it: A4, landscape by default, scaled to one page wide (as
    many pages tall as it takes), the header rows repeated on every page, centred, numbered."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BODY_FONT = "宋体"
HEAD_FONT = "黑体"
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="FFD9E1F2")


def xlsx_cell(ws: Any, row: int, col: int, value: Any, *, align: Alignment = CENTER, bold: bool = False,
              size: int = 11, fill: PatternFill | None = None, number_format: str | None = None) -> Any:
    """Write one cell of an official table: the value through :func:`safe_cell`, 宋体 (黑体 when
    bold), wrapped and aligned; returns the cell."""
    cell = ws.cell(row=row, column=col, value=safe_cell(value))
    cell.alignment = align
    cell.font = Font(name=HEAD_FONT if bold else BODY_FONT, bold=bold, size=size)
    if fill is not None:
        cell.fill = fill
    if number_format:
        cell.number_format = number_format
    return cell


def xlsx_grid(ws: Any, *, first_row: int, last_row: int, columns: int) -> None:
    """Thin borders round every cell of a table block, text vertically centred."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=columns):
        for cell in row:
            cell.border = border
            if cell.alignment is None or not cell.alignment.horizontal:
                cell.alignment = Alignment(vertical="center", wrap_text=True)


# --- PDF -----------------------------------------------------------------------------------------

CJK_PACKAGE = "fonts-noto-cjk"
CJK_FAMILY = "Noto Sans CJK SC"
# Where Debian's fonts-noto-cjk puts the face; fontconfig is asked when it is elsewhere.
CJK_PATHS = (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
             Path("/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc"))
# Families that cover simplified Chinese; a fontconfig answer outside these is a fallback
# (e.g. DejaVu) that would print empty boxes.
CJK_FAMILIES = ("Noto Sans CJK", "Noto Serif CJK", "Source Han", "WenQuanYi", "Droid Sans Fallback",
                "AR PL", "Microsoft YaHei", "SimSun", "SimHei", "PingFang", "Hiragino Sans GB")


class FontMissing(RuntimeError):
    """No font with Chinese glyphs is installed, so a PDF would show boxes instead of text."""


@dataclass(frozen=True)
class CjkFont:
    family: str
    path: Path


def _fc(args: Sequence[str]) -> str:
    exe = shutil.which(args[0])
    if exe is None:
        return ""
    try:
        return subprocess.run([exe, *args[1:]], capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def find_cjk_font(paths: Sequence[Path] = CJK_PATHS, fontconfig: bool = True) -> CjkFont:
    """The font the PDFs use for Chinese: Debian's Noto Sans CJK where it is installed, else what
    fontconfig offers for ``Noto Sans CJK SC`` or for the Chinese language. Raises
    :class:`FontMissing` naming the package to install when there is none."""
    for path in paths:
        if path.is_file():
            return CjkFont(CJK_FAMILY, path)
    if fontconfig:
        answer = _fc(["fc-match", "-f", "%{family[0]}|%{file}", CJK_FAMILY]).strip()
        family, _, file = answer.partition("|")
        if file and any(family.startswith(f) for f in CJK_FAMILIES):
            return CjkFont(family, Path(file))
        for line in _fc(["fc-list", ":lang=zh", "-f", "%{family[0]}|%{file}\n"]).splitlines():
            family, _, file = line.partition("|")
            if file:
                return CjkFont(family, Path(file))
    raise FontMissing(f"找不到中文字体，PDF 无法显示中文。请安装 {CJK_PACKAGE}"
                      f"（Debian/Ubuntu：apt-get install -y {CJK_PACKAGE}）后重试。")


@functools.cache
def cjk_font() -> CjkFont:
    """:func:`find_cjk_font`, once per process (fonts do not appear while the site runs)."""
    return find_cjk_font()


def local_fetcher() -> Any:
    """WeasyPrint's URL fetcher limited to ``data:`` and ``file:`` URLs: a PDF is rendered inside a
    request, and nothing in it may make the server fetch from the network."""
    try:
        from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]
    except ImportError:  # older WeasyPrint takes a plain function
        from weasyprint import default_url_fetcher  # type: ignore[import-untyped]

        def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith(("data:", "file:")):
                raise ValueError(f"URI uses disallowed protocol: {url}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols=("data", "file"))


def pdf_from_html(html: str, base_url: str | None = None, *, cache: bool = True) -> bytes:
    """A PDF of an HTML page (its ``@page`` rules set size and margins). The page's CSS may name
    the family ``jx-cjk``; it is bound here to the Chinese font found on this machine.

    The same HTML gives the same PDF, so the last few are kept: a published bulletin that every
    unit downloads is rendered once (WeasyPrint takes about a second per page of tables). ``cache``
    false: a page holding secrets (one-time tokens) is rendered and not kept."""
    font = cjk_font()
    if not cache:
        return _render.__wrapped__(html, base_url, font)
    return _render(html, base_url, font)


@functools.lru_cache(maxsize=16)
def _render(html: str, base_url: str | None, font: CjkFont) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

    config = FontConfiguration()
    face = (f'@font-face {{ font-family: "jx-cjk"; src: local("{font.family}"), url("{font.path.as_uri()}"); }}\n'
            f'html {{ font-family: "jx-cjk", "{font.family}", sans-serif; }}')
    doc = HTML(string=html, base_url=base_url, url_fetcher=local_fetcher())
    data: bytes = doc.write_pdf(stylesheets=[CSS(string=face, font_config=config)], font_config=config)
    return data
