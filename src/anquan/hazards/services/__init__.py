"""Every change to a hazard, one function per verb (see docs/architecture.md, rule 1)."""
from .deadlines import extension_decide, extension_request, hazard_escalate, overdue_explain
from .loop import hazard_recheck, hazard_start, hazard_submit, hazard_verify, recheck_sample
from .recording import HazardForm, hazard_downgrade, hazard_judge_major, hazard_record, hazard_transfer, hazard_update
from .supervision import control_end, control_start, hazard_delist, hazard_list, listing_apply_resume, listing_review

__all__ = [
    "HazardForm", "control_end", "control_start", "extension_decide", "extension_request", "hazard_delist",
    "hazard_downgrade", "hazard_escalate", "hazard_judge_major", "hazard_list", "hazard_recheck", "hazard_record",
    "hazard_start", "hazard_submit", "hazard_transfer", "hazard_update", "hazard_verify", "listing_apply_resume",
    "listing_review", "overdue_explain", "recheck_sample",
]
