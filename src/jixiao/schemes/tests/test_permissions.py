"""Only the office admin reaches the scheme and period pages; everyone else gets 403."""

import pytest
from django.urls import reverse

from jixiao.schemes.models import Period, SchemeVersion


def _urls(cast):
    v = cast.assessment.version.pk
    return [
        ("get", reverse("schemes:index")),
        ("get", reverse("schemes:import")),
        ("get", reverse("schemes:template")),
        ("get", reverse("schemes:format_help")),
        ("get", reverse("schemes:scheme_versions", args=[cast.assessment.version.scheme_id])),
        ("get", reverse("schemes:version", args=[v])),
        ("get", reverse("schemes:version_yaml", args=[v])),
        ("get", reverse("schemes:version_xlsx", args=[v])),
        ("get", reverse("schemes:edit", args=[v])),
        ("get", reverse("schemes:yaml", args=[v])),
        ("get", reverse("whatif:compare", args=[v]) + "?assessment=mini-2024"),
        ("post", reverse("schemes:edit_check", args=[v])),
        ("post", reverse("schemes:edit_rows", args=[v])),
        ("post", reverse("schemes:edit", args=[v])),
        ("post", reverse("schemes:yaml_check", args=[v])),
        ("post", reverse("schemes:yaml", args=[v])),
        ("post", reverse("schemes:adopt", args=[v])),
        ("post", reverse("whatif:switch", args=[v])),
        ("post", reverse("schemes:assessment_new")),
        ("post", reverse("schemes:period_close", args=[cast.q1.pk])),
        ("post", reverse("schemes:period_reopen", args=[cast.q1.pk])),
        ("post", reverse("schemes:reopen_decide", args=[cast.q1.pk])),
        ("get", reverse("schemes:reopenings")),
        ("post", reverse("schemes:import")),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["reporter", "leader", "stats", "outsider"])
def test_others_are_refused(client, cast, who):
    client.force_login(getattr(cast, who))
    for method, url in _urls(cast):
        resp = getattr(client, method)(url, {"reason": "x"} if method == "post" else None)
        assert resp.status_code == 403, (who, url)
    # and nothing moved
    assert Period.objects.get(pk=cast.q1.pk).is_open
    assert SchemeVersion.objects.count() == 1


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, cast):
    resp = client.get(reverse("schemes:index"))
    assert resp.status_code == 302 and "/login/" in resp["Location"]


@pytest.mark.django_db
def test_office_opens_every_page(office_client, cast):
    for method, url in _urls(cast):
        if method == "get":
            resp = office_client.get(url)
            assert resp.status_code == 200, url


@pytest.mark.django_db
def test_menu_shows_schemes_only_to_office(client, cast):
    client.force_login(cast.reporter)
    assert reverse("schemes:index") not in client.get(reverse("home")).content.decode()
    client.force_login(cast.office)
    assert reverse("schemes:index") in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_every_schemes_url_is_checked_here(cast):
    from django.urls import get_resolver, resolve

    from jixiao.schemes import urls
    from jixiao.scoring import urls_schemes

    names = {p.name for p in urls.urlpatterns} | {p.name for p in urls_schemes.urlpatterns}
    checked = {resolve(url.split("?")[0]).url_name for _, url in _urls(cast)}
    assert names == checked
    assert "schemes" in get_resolver().namespace_dict


@pytest.mark.django_db
def test_leadership_group_reaches_only_the_reopening_approvals(client, cast):
    from jixiao.scoring.tests.approving import leader_group_member

    client.force_login(leader_group_member(cast))
    assert client.get(reverse("schemes:reopenings")).status_code == 200
    assert client.get(reverse("schemes:index")).status_code == 403
    assert client.post(reverse("schemes:period_reopen", args=[cast.q1.pk]), {"reason": "x"}).status_code == 403
