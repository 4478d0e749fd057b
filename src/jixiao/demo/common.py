"""What both halves of the demo (the county and the finance bureau) share: accounts, the random
helpers that keep the data deterministic, and the write helpers around the services."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from jixiao.collection.services import ValueInput, ballot_add, values_bulk_upsert
from jixiao.org import services as org
from jixiao.org.models import AssessedObject, Unit
from jixiao.org.scoping import Scope
from jixiao.org.selectors import scope_for_user
from jixiao.schemes.models import Period

PASSWORD = "Jixiao-Demo-2024"
VIA = "demo"  # ValueChange.via of every value the demo writes


@dataclass(frozen=True)
class DemoAccount:
    """One demo login: username, who it is (Chinese), its role and what it covers."""

    username: str
    display: str
    role: str
    scope: str


@dataclass
class Session:
    """A logged-in demo account as the services see it: the user and its resolved scope."""

    user: Any
    scope: Scope


@dataclass
class Ctx:
    """The running build: the office session and every account made so far."""

    office: Session  # the office admin working in the county
    sessions: dict[str, Session] = field(default_factory=dict)
    _offices: dict[int, Session] = field(default_factory=dict)

    def office_in(self, organisation_id: int) -> Session:
        """The office admin working in another of his organisations (the finance bureau)."""
        if organisation_id == self.office.scope.organisation_id:
            return self.office
        if organisation_id not in self._offices:
            user = self.office.user
            self._offices[organisation_id] = Session(user=user,
                                                     scope=scope_for_user(user, organisation_id=organisation_id))
        return self._offices[organisation_id]

    def account(self, spec: DemoAccount, *, units: Iterable[Unit] = (), person: Any = None) -> Session:
        """Create an account through the services, grant its role on each unit, resolve its scope."""
        user = org.account_create(actor=self.office.user, username=spec.username, password=PASSWORD,
                                  display_name=spec.display, person=person)
        for unit in units:
            org.grant_add(actor=self.office.user, user=user, role=spec.role, unit=unit)
        session = Session(user=user, scope=scope_for_user(user))
        self.sessions[spec.username] = session
        return session


def dec(x: float, places: int = 1) -> Decimal:
    """A reported number with a fixed number of decimals (what a person would type)."""
    return Decimal(f"{x:.{places}f}")


def clip(x: float, lo: float, hi: float) -> float:
    return float(min(max(x, lo), hi))


def strengths(rng: np.random.Generator, codes: list[str], weak: dict[str, float] | None = None) -> dict[str, float]:
    """Each object's strength, a standard normal draw clipped to ±2; ``weak`` overrides some."""
    draws = rng.normal(0.0, 1.0, size=len(codes))
    out = {c: clip(float(d), -2.0, 2.0) for c, d in zip(codes, draws)}
    out.update(weak or {})
    return out


def write_values(session: Session, period: Period, rows: list[ValueInput], *, submit: bool = True) -> int:
    """One bulk write (one recompute) of a period's rows by one account; empty rows write nothing."""
    if not rows:
        return 0
    return values_bulk_upsert(actor=session.user, scope=session.scope, period=period, rows=rows, via=VIA,
                              submit=submit)


def add_ballot(session: Session, period: Period, obj: AssessedObject, indicator: str, rating: str, *,
               rater: str, count: int = 1) -> None:
    """One ballot (recorded as a ledger change; the recompute scores them all once, after the build)."""
    ballot_add(actor=session.user, scope=session.scope, period=period, obj=obj, indicator=indicator, rating=rating,
               rater=rater, count=count)
