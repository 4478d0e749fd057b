"""A clerk's day, crawled: every demo role visits every page reachable from the navigation (and the
detail pages its lists link to). No page fails, shows English outside the allow-list, shows an
internal code where a name exists, or shows a record of another organisation.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.project.tests.crawl import codes_shown, crawl, english_words, visible_text

pytestmark = pytest.mark.django_db

# Pages where a code may stand next to its name because a clerk needs it (the scheme editor).
CODES_ALLOWED = ("/schemes/",)
# Pages whose content is the scheme file itself or its format's reference: the file's keys are
# English identifiers by design (docs/scheme-format.md).
ENGLISH_ALLOWED = re.compile(r"^/schemes/(v/\d+/yaml/|format/)")
# The format reference is documentation, the same for every organisation: its examples name
# units of the worked examples, not records of any organisation.
DOCUMENTATION = ("/schemes/format/", "/manual/")
COUNTY_ROOT, CITY_ROOT = "zhengding", "liuyang"


def _codes() -> set[str]:
    """Every internal code of the demo a page could show instead of a name."""
    from jixiao.org.models import AssessedObject, Category, Person, Unit
    from jixiao.schemes.models import Assessment, Period
    from jixiao.schemes.selectors import catalog_of

    codes: set[str] = set(Unit.objects.values_list("code", flat=True))
    codes |= set(AssessedObject.objects.values_list("code", flat=True))
    codes |= set(Category.objects.values_list("code", flat=True))
    codes |= set(Period.objects.values_list("code", flat=True))
    codes |= {v for v, _ in Person.Level.choices}
    for a in Assessment.objects.select_related("version"):
        cat = catalog_of(a)
        for cc in cat.compiled.categories:
            codes |= {n.node.code for n in cc.nodes}
        for info in cat.categories.values():
            codes.add(info.code)
            codes |= {code for code, _ in info.vetoes}
            for leaf in info.leaves:
                codes.add(leaf.code)
                codes |= {it.code for it in leaf.items}
                codes |= set(leaf.variables)
    return {c for c in codes if len(c) >= 3 and c.isascii()}


def _names_by_organisation() -> tuple[set[str], set[str]]:
    """Unit names found only under the county's root and only under the city's (not contained in
    any name of the other side, so a match can only mean a record of that side)."""
    from jixiao.core.trees import descendants
    from jixiao.org.models import Unit

    units = list(Unit.objects.values_list("id", "code", "name", "parent_id"))
    parents = {i: p for i, _, _, p in units}
    by_code = {c: i for i, c, _, _ in units}
    county = descendants(parents, [by_code[COUNTY_ROOT]])
    city = descendants(parents, [by_code[CITY_ROOT]])
    a = {n for i, _, n, _ in units if i in county}
    b = {n for i, _, n, _ in units if i in city}
    a_only = {n for n in a if len(n) >= 3 and not any(n in m for m in b)}
    b_only = {n for n in b if len(n) >= 3 and not any(n in m for m in a)}
    return a_only, b_only


def test_item_10_every_role_every_page(demo: Any, client: Any) -> None:
    """Each demo login, and the office once more after switching to the finance bureau. Then the
    object-level probe (checklist item 10): every page of a record (a path with an id) that one
    organisation's users reached is asked for by a user of the other organisation; none may answer
    with the record (a refusal, a 404 or a redirect to login are the answers allowed)."""
    from django.contrib.auth import get_user_model

    from jixiao.org.models import Organisation, Unit

    codes = _codes()
    county_names, city_names = _names_by_organisation()
    bureau = Unit.objects.get(code=CITY_ROOT).organisation_id
    assert Organisation.objects.count() == 2
    walks = [(a.username, None) for a in demo.accounts] + [("office", bureau)]
    problems: list[str] = []
    visited = 0
    reached: dict[bool, set[str]] = {True: set(), False: set()}  # city side? → record pages reached
    for username, switch_to in walks:
        client.force_login(get_user_model().objects.get(username=username))
        if switch_to is not None:
            assert client.post("/org/switch/", {"organisation": switch_to}).status_code == 302
        city_side = username.startswith("lyczj") or switch_to == bureau

        def get(url: str) -> tuple[int, str, str]:
            resp = client.get(url)
            body = resp.content.decode("utf-8", "replace") if resp.get("Content-Type", "").startswith(
                "text/html") else ""
            return resp.status_code, resp.get("Content-Type", ""), body

        home = get("/")[2]
        result = crawl(get, ["/", *sorted(set(_nav(home)))])
        for v in result.visits:
            visited += 1
            if v.status == 200 and RECORD.search(v.url.split("?", 1)[0]) and not v.url.startswith(DOCUMENTATION):
                reached[city_side].add(v.url)
            where = f"{username}{' (浏阳)' if switch_to else ''} {v.url}"
            if v.status >= 500:
                problems.append(f"{where}: HTTP {v.status}")
            if not v.text:
                continue
            english = english_words(v.text) - codes
            if english and not ENGLISH_ALLOWED.match(v.url):
                problems.append(f"{where}: English {sorted(english)[:8]}")
            if not v.url.startswith(CODES_ALLOWED):
                shown = codes_shown(v.text, codes)
                if shown:
                    problems.append(f"{where}: codes {sorted(shown)[:8]}")
            if v.url.startswith(DOCUMENTATION):
                continue
            county = {n for n in county_names if n in v.text}
            city = {n for n in city_names if n in v.text}
            if city_side and county:
                problems.append(f"{where}: the county's {sorted(county)[:3]}")
            if not city_side and city:
                problems.append(f"{where}: the city's {sorted(city)[:3]}")
        client.logout()
    assert visited > 300
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    leaks = _probe(client, reached, county_names, city_names)
    assert len(reached[False]) >= 20 and len(reached[True]) >= 5, {k: len(v) for k, v in reached.items()}
    assert not leaks, f"{len(leaks)} record pages answered across organisations:\n" + "\n".join(leaks)


# A path naming one record: a segment that is an id.
RECORD = re.compile(r"/\d+(/|$)")
PROBERS = {False: "lyczj_jz", True: "nanniu_tb"}  # who asks for the other side's record pages


def _probe(client: Any, reached: dict[bool, set[str]], county_names: set[str], city_names: set[str]) -> list[str]:
    from django.contrib.auth import get_user_model

    leaks: list[str] = []
    for city_side, urls in reached.items():
        client.force_login(get_user_model().objects.get(username=PROBERS[city_side]))
        names = city_names if city_side else county_names
        for url in sorted(urls):
            resp = client.get(url)
            body = resp.content.decode("utf-8", "replace") if resp.status_code == 200 else ""
            shown = {n for n in names if n in body}
            if resp.status_code == 200 and (shown or not resp.get("Content-Type", "").startswith("text/html")):
                leaks.append(f"{PROBERS[city_side]} {url}: HTTP 200 {sorted(shown)[:3]}")
        client.logout()
    return leaks


def _nav(home_html: str) -> list[str]:
    from jixiao.project.tests.crawl import links_of

    return links_of(home_html)


def test_visible_text_and_the_checks() -> None:
    html = ('<p>得分 <b>95</b></p><script>var x = "hidden";</script><input placeholder="Search">'
            '<span>指标 zbjj</span><span>经济发展（zbjj）</span><td>东镇 <small class="code">east</small></td>')
    text = visible_text(html)
    assert "hidden" not in text and "Search" in text and "east" not in text and "东镇" in text
    assert english_words(text) == {"Search", "zbjj"}
    assert codes_shown(text, {"zbjj"}) == {"zbjj"}
    assert codes_shown("经济发展（zbjj）", {"zbjj"}) == set()
    assert english_words("导出 PDF 与 Excel · jixiao") == set()
