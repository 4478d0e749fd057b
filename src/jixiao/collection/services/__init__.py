"""Every write to the ledger. Import from here: ``from jixiao.collection.services import value_save``."""

from jixiao.collection.services.corrections import value_correct
from jixiao.collection.services.forms import LedgerCellInput, LedgerFormResult, ledger_form_save
from jixiao.collection.services.incidents import ballot_add, ballots_replace, incident_create, incident_decide
from jixiao.collection.services.review import value_review_batch
from jixiao.collection.services.values import (
    ValueInput,
    evidence_add,
    leaf_for,
    parse_number,
    reminders_send,
    value_review,
    value_save,
    values_bulk_upsert,
    values_submit,
    values_verify,
)

__all__ = [
    "LedgerCellInput", "LedgerFormResult", "ValueInput", "ballot_add", "ballots_replace", "evidence_add",
    "incident_create", "incident_decide", "leaf_for", "ledger_form_save", "parse_number", "reminders_send",
    "value_correct", "value_review", "value_review_batch", "value_save",
    "values_bulk_upsert", "values_submit", "values_verify",
]
