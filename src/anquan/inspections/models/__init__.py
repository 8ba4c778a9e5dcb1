"""Models of inspections (检查), one module per sub-domain: the visit and its parts, the plan and its
random draw, and what was recorded on site (answers, photos, signatures)."""
from .inspection import (
    CHAIN_KINDS,
    ENFORCEMENT_MIN_INSPECTORS,
    Inspection,
    InspectionKind,
    InspectionPart,
    InspectionQuerySet,
    InspectionStatus,
)
from .plan import Draw, InspectionPlan, PlanStatus
from .record import Answer, AnswerPhoto, AnswerResult, Signature, SignerKind

__all__ = [
    "CHAIN_KINDS", "ENFORCEMENT_MIN_INSPECTORS", "Answer", "AnswerPhoto", "AnswerResult", "Draw", "Inspection", "InspectionKind",
    "InspectionPart", "InspectionPlan", "InspectionQuerySet", "InspectionStatus", "PlanStatus", "Signature",
    "SignerKind",
]
