"""In a real browser: the incident form's pickers follow the indicator chosen (htmx), and an
incident registered by names appears in the list by names."""

import pytest
from conftest import browser_login

from jixiao.collection.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pickers_follow_the_indicator_and_register_by_name(cast, page):
    browser_login(page, "east_reporter")
    page.goto(page.base + "/ledger/incidents/?assessment=mini-2024")
    assert page.locator("select[name=item] option").all_inner_texts() == ["—", "通报批评（县/市/省）"]
    page.select_option("select[name=indicator]", "aqsg")
    # htmx binds the swapped-in pickers when it settles: a choice made before that is lost.
    page.wait_for_function("document.querySelectorAll('select[name=item] option').length === 1"
                           " && !document.querySelector('.htmx-settling, .htmx-request')")
    assert page.locator("select[name=level] option").all_inner_texts() == ["—"]
    page.select_option("select[name=indicator]", "jianfen")
    page.wait_for_function("document.querySelectorAll('select[name=level] option').length === 4")
    page.fill("input[name=object]", "东镇")
    page.select_option("select[name=level]", "市")
    page.fill("input[name=document]", "市委通报〔2024〕1号")
    page.click("#incident-form button[type=submit]")
    page.wait_for_selector("text=已登记，待绩效办审批后计分")
    inc = Incident.objects.get()
    assert (inc.object_id, inc.indicator, inc.item, inc.level) == (cast.east_obj.pk, "jianfen", "tbpp", "市")
    assert "通报批评 / 通报批评" in page.locator("#incidents").inner_text()
