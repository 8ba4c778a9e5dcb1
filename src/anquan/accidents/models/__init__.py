"""Models of the accident app (one module per sub-domain)."""
from .accident import (
    ACCIDENT_KEY,
    Accident,
    AccidentChildQuerySet,
    AccidentPhoto,
    AccidentQuerySet,
    CasualtyAddition,
    LateFinding,
    LevelChange,
    ReportLeg,
)
from .investigation import REPORT_PARTS, AppraisalPeriod, FourNots, Investigation

__all__ = [
    "ACCIDENT_KEY", "REPORT_PARTS", "Accident", "AccidentChildQuerySet", "AccidentPhoto", "AccidentQuerySet",
    "AppraisalPeriod", "CasualtyAddition", "FourNots", "Investigation", "LateFinding", "LevelChange", "ReportLeg",
]
