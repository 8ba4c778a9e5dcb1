"""通报: a generic circular (used by the supervision app for 警示约谈/通报 records)."""
from __future__ import annotations

from ..models import DocumentKind
from ..services import issue_document


def issue_circular(actor, *, title, recipients, paragraphs, about=None, issuer_unit=None, issuer_department=None,
                   kind=DocumentKind.CIRCULAR, table=None, client_key: str = ""):
    """Issue a 通报 (or, with ``kind=DocumentKind.INTERVIEW``, a 警示约谈通知书); ``table`` = (header, rows)."""
    build = None
    if table:
        header, rows = table

        def build(layout):
            layout.table(list(header), [list(r) for r in rows])

    return issue_document(actor, kind=kind, issuer_unit=issuer_unit, issuer_department=issuer_department, about=about,
                          title=title, recipients=recipients, paragraphs=paragraphs, build=build, client_key=client_key)
