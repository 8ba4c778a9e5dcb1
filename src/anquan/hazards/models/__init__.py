"""Models of the hazard loop, one module per sub-domain."""
from .catalogue import HazardCategory, StandardDescription
from .criteria import Checklist, ChecklistItem, ChecklistKind, ChecklistStatus, CombinedRule
from .hazard import PLAN_FIELDS, REPORT_FIELDS, Hazard, HazardQuerySet
from .rounds import DeadlineExtension, HazardPhoto, OverdueExplanation, RectificationRound
from .supervision import InterimControl, ListedSupervision

__all__ = [
    "PLAN_FIELDS", "REPORT_FIELDS", "Checklist", "ChecklistItem", "ChecklistKind", "ChecklistStatus", "CombinedRule",
    "DeadlineExtension", "Hazard", "HazardCategory", "HazardPhoto", "HazardQuerySet", "InterimControl",
    "ListedSupervision", "OverdueExplanation", "RectificationRound", "StandardDescription",
]
