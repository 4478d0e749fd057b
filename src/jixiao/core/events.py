"""Events a lower layer announces and a higher one reacts to, so dependencies run one way.

``ledger_changed`` is sent after a transaction that changed the ledger has committed (never
inside it, never for a rolled-back one), with the assessment's id. Scoring listens and asks the
worker for a coalescing recompute (:mod:`jixiao.scoring.recompute`); the ledger knows nothing of
scoring. Receivers only enqueue work: the change itself is already recorded in the outbox
(:class:`jixiao.collection.models.LedgerChange`), so a lost event delays results, never loses them
(the periodic sweep picks up what is pending).
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

ledger_changed = Signal()  # kwargs: assessment_id


def announce_ledger_change(assessment_id: int) -> None:
    """Send ``ledger_changed`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: ledger_changed.send(sender=None, assessment_id=assessment_id), robust=True)
