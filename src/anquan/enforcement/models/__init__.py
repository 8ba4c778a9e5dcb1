"""Administrative enforcement (安全生产行政执法): cases from 立案 to 结案, the discretion catalogue,
§113 closure proposals and the publication of penalty decisions (安全生产法 §78)."""
from .case import (
    NOT_PUNISHED,
    Case,
    CaseInspector,
    CaseQuerySet,
    CaseStatus,
    Circumstance,
    ClosureProposal,
    DecisionKind,
    Evidence,
    EvidenceKind,
    PartyKind,
    Payment,
    PenaltyPublication,
    Procedure,
    ServiceMethod,
    SourceKind,
    Statement,
    StatementKind,
)
from .discretion import Violation

__all__ = [
    "NOT_PUNISHED", "Case", "CaseInspector", "CaseQuerySet", "CaseStatus", "Circumstance", "ClosureProposal", "DecisionKind",
    "Evidence", "EvidenceKind", "PartyKind", "Payment", "PenaltyPublication", "Procedure", "ServiceMethod",
    "SourceKind", "Statement", "StatementKind", "Violation",
]
