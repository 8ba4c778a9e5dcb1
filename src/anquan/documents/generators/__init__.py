"""Generators: one module per document, each composing its text from the records and calling
``services.issue_document``. ``GENERATORS`` maps a kind to (generator, model it is about, button label)."""
from ..models import DocumentKind
from .circular import issue_circular
from .inspection_record import issue_inspection_record
from .listing_notice import issue_listing_notice
from .recheck_opinion import issue_recheck_opinion
from .rectification_order import issue_rectification_order

#: kind → (generator, which objects it accepts)
GENERATORS = {
    DocumentKind.INSPECTION_RECORD: (issue_inspection_record, ("inspection",)),
    DocumentKind.RECTIFICATION_ORDER: (issue_rectification_order, ("inspection", "hazard")),
    DocumentKind.RECHECK_OPINION: (issue_recheck_opinion, ("hazard",)),
    DocumentKind.LISTING_NOTICE: (issue_listing_notice, ("listing",)),
}

__all__ = ["GENERATORS", "issue_circular", "issue_inspection_record", "issue_listing_notice",
           "issue_recheck_opinion", "issue_rectification_order"]
