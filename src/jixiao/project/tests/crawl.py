"""The site crawler behind the clerk's-day tests: every page a demo role reaches from the navigation
(and the detail pages its lists link to), with what a user would see on it.

Pure helpers (text extraction, the English and code checks) are tested without a database; the
crawl itself runs on Django's test client, one role at a time.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

# English a Chinese page may show: brand and format names, units of measure.
ALLOWED_ENGLISH = frozenset({
    "jixiao", "PDF", "Excel", "API", "YAML", "JSON", "CSV", "XLSX", "xlsx", "pdf", "csv", "yaml", "ZIP",
    "URL", "OK", "MB", "KB", "GB", "Token", "token", "WPS", "Word", "docx", "png", "jpg", "jpeg",
    "https", "http", "www",
})
# Links a crawl does not follow: leaving, downloads, machine interfaces, and actions behind a link.
SKIP = re.compile(r"^/(logout|api|admin|static|media|manual/shots)/|/(evidence|attachments)/\d+|"
                  r"\.(xlsx|pdf|csv|zip|png|json|yaml)$|/download|/export|/print|/withdraw|/read$|/pending$")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
CODE_WORD = re.compile(r"(?<![A-Za-z0-9_（(-])[a-z][a-z0-9_-]*[a-z0-9](?![A-Za-z0-9_）)-])")


class _Text(HTMLParser):
    """The text a user sees: text nodes outside script/style, plus placeholders and tooltips.

    A code the site shows for clerks beside its name is marked ``<small class="code">`` (the
    layout's convention); it is the one place a code may stand, so it is left out here. So is the
    organisation switcher (``form.org-switch``), which names every organisation an admin may pick."""

    HIDDEN = ("script", "style", "template")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # per open element: its tag, is its text left out?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag not in ("br", "img", "input", "meta", "link", "hr", "wbr", "col", "source"):
            self._stack.append((tag, tag in self.HIDDEN or (tag == "small" and "code" in classes)
                                or (tag == "form" and "org-switch" in classes)))
        for name, value in attrs:
            if name in ("placeholder", "title", "alt", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching element (HTML lets some end tags be left out).
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    @property
    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self._stack)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return unescape(" ".join(" ".join(parser.parts).split()))


def english_words(text: str, allowed: Iterable[str] = ()) -> set[str]:
    """Latin words of three letters or more a Chinese page should not show."""
    ok = ALLOWED_ENGLISH | set(allowed)
    return {w for w in WORD.findall(text) if len(w) >= 3 and w not in ok and w.lower() not in ok}


def codes_shown(text: str, codes: set[str]) -> set[str]:
    """Internal codes standing as words of the text (a code in brackets after its name is fine)."""
    return {w for w in CODE_WORD.findall(text) if w in codes}


def links_of(html: str) -> list[str]:
    out = []
    for href in re.findall(r'href="([^"#]+)', html):
        href = unescape(href)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


@dataclass
class Visit:
    url: str
    status: int
    text: str = ""


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)

    def pages(self) -> list[Visit]:
        return [v for v in self.visits if v.text]


def crawl(get: Callable[[str], tuple[int, str, str]], start: Iterable[str], *, per_route: int = 2,
          depth: int = 2, limit: int = 120) -> Crawl:
    """Breadth-first from ``start`` through same-site links, at most ``per_route`` pages of one URL
    pattern (one list page and a couple of its detail pages) and ``depth`` clicks deep.
    ``get(url)`` → (status, content type, body)."""
    seen: set[str] = set()
    routes: dict[str, int] = {}
    queue: deque[tuple[str, int]] = deque((u, 0) for u in start)
    result = Crawl()
    while queue and len(result.visits) < limit:
        url, d = queue.popleft()
        path = url.split("?")[0]
        if url in seen or SKIP.search(path):
            continue
        seen.add(url)
        try:
            match = resolve(path)
        except Resolver404:
            continue
        route = f"{match.namespace}:{match.url_name}:{'q' if '?' in url else ''}"
        if routes.get(route, 0) >= per_route:
            continue
        routes[route] = routes.get(route, 0) + 1
        status, ctype, body = get(url)
        html = body if status == 200 and ctype.startswith("text/html") else ""
        result.visits.append(Visit(url=url, status=status, text=visible_text(html) if html else ""))
        if html and d < depth:
            queue.extend((link, d + 1) for link in links_of(html) if link not in seen)
    return result
