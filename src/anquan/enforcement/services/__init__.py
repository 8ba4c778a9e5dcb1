"""Enforcement services: every step of a case (``cases``), publication (``publication``) and the §113
proposal (``repeat``). Each runs in one transaction: authorize → validate → ``bump_version`` → save → one
audit event."""
from .cases import (
    case_add_evidence,
    case_add_inspector,
    case_approve,
    case_close,
    case_decide,
    case_decide_on_spot,
    case_discuss,
    case_legal_review,
    case_notify,
    case_open,
    case_record_correction,
    case_record_payment,
    case_record_statement,
    case_review,
    case_serve,
    case_submit_review,
    case_withdraw,
    check_range,
)
from .common import TRANSITIONS, next_status
from .publication import publication_create, publication_withdraw
from .repeat import closure_decide, closure_propose, repeat_status

__all__ = [
    "TRANSITIONS", "case_add_evidence", "case_add_inspector", "case_approve", "case_close", "case_decide",
    "case_decide_on_spot", "case_discuss", "case_legal_review", "case_notify", "case_open", "case_record_correction",
    "case_record_payment", "case_record_statement", "case_review", "case_serve", "case_submit_review",
    "case_withdraw", "check_range", "closure_decide", "closure_propose", "next_status", "publication_create", "publication_withdraw",
    "repeat_status",
]
