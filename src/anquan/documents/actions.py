"""Which documents can be generated for an object, by whom — shared by the object pages' partial,
the issue page view and the API."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from anquan.core.errors import DomainError
from anquan.hazards.choices import HazardStatus, ListingStatus, Verdict
from anquan.hazards.models import Hazard, ListedSupervision
from anquan.inspections.models import Inspection

from .generators import GENERATORS
from .models import DocumentKind, OfficialDocument
from .services import issuing_assignment

#: about-name in URLs → model
ABOUT_MODELS = {"inspection": Inspection, "hazard": Hazard, "listing": ListedSupervision}


def about_name(obj) -> str:
    for name, model in ABOUT_MODELS.items():
        if isinstance(obj, model):
            return name
    raise ValueError(obj)


@dataclass
class Button:
    kind: str
    label: str
    about: str
    pk: int
    #: One key per rendered button: a double click (or a resent form) issues one document.
    client_key: str = field(default_factory=lambda: uuid.uuid4().hex)


def ready(kind: str, obj) -> bool:
    """Whether the record is ready for this document (the generator still re-checks and says why not)."""
    if kind == DocumentKind.INSPECTION_RECORD:
        return obj.performed_at is not None
    if kind == DocumentKind.RECTIFICATION_ORDER:
        if isinstance(obj, Inspection):
            return obj.performed_at is not None and obj.hazards.filter(voided_at__isnull=True).exclude(status=HazardStatus.CLOSED).exists()
        return obj.voided_at is None and obj.status != HazardStatus.CLOSED
    if kind == DocumentKind.RECHECK_OPINION:
        return obj.rounds.exclude(verdict=Verdict.PENDING).exists()
    if kind == DocumentKind.LISTING_NOTICE:  # issued with the listing; again only after voiding it
        from .generators.listing_notice import live_notice

        return obj.status != ListingStatus.DELISTED and live_notice(obj) is None
    return False


def may_issue(user, obj, kind: str | None = None) -> bool:
    """Whether ``user`` may issue a document about ``obj`` (of ``kind``: enforcement orders need an enforcement body)."""
    try:
        issuing_assignment(user, about=obj, kind=kind)
    except DomainError:
        return False
    return True


def buttons_for(user, obj) -> list[Button]:
    """The generate-buttons ``user`` gets on ``obj``'s page (and, for a hazard, its active listings)."""
    targets = [obj]
    if isinstance(obj, Hazard):
        targets += list(obj.listings.exclude(status=ListingStatus.DELISTED).order_by("pk"))
    out = []
    for target in targets:
        name = about_name(target)
        if not may_issue(user, target):
            continue
        for kind, (_, accepts) in GENERATORS.items():
            if name in accepts and ready(kind, target) and may_issue(user, target, kind):
                label = f"生成{DocumentKind(kind).label}"
                if isinstance(target, ListedSupervision):
                    label += f"（{target.document_no}）"
                out.append(Button(kind=kind, label=label, about=name, pk=target.pk))
    return out


def generate(user, kind: str, obj, *, client_key: str = ""):
    """Run the generator of ``kind`` for ``obj`` (a kind that does not accept this object → Invalid);
    ``client_key``: the rendered button's key, so a second identical request returns the same document."""
    from anquan.core.errors import Invalid

    entry = GENERATORS.get(kind)
    if entry is None or about_name(obj) not in entry[1]:
        raise Invalid({"kind": ["该对象不能生成这种文书"]})
    client_key = str(client_key or "").strip()[:64]
    if client_key:  # the same button again (a double click, a resent form): the document it already issued
        done = OfficialDocument.objects.filter(issued_by=user, client_key=client_key, kind=kind).first()
        if done is not None:
            return done
    return entry[0](user, obj, client_key=client_key)
