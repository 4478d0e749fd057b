"""Optimistic locking (item 35): two clients read the same value; the second write, made against
the version both read, is refused with 409 naming who saved first, and never overwrites."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.services import value_save


@pytest.mark.django_db
def test_item_35_a_stale_write_is_refused_with_409_and_never_overwrites(cast: Any, scope: Any, api: Any) -> None:
    v = value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.east_obj,
                   indicator="gdp", variable="value", value=Decimal("80"))
    read = api(cast.office).get(f"/api/values/{v.pk}/").json()["version"]
    assert read == v.version
    assert api(cast.office).put(f"/api/values/{v.pk}/", {"value": "81", "version": read},
                                format="json").status_code == 200
    for attempt in ("82", "80"):  # any stale write, even one back to the old number
        stale = api(cast.office).put(f"/api/values/{v.pk}/", {"value": attempt, "version": read}, format="json")
        assert stale.status_code == 409 and "81" in stale.json()["detail"]
    v.refresh_from_db()
    assert (v.value, v.version) == (Decimal("81"), read + 1)
