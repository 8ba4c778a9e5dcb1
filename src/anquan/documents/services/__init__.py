"""Issuing official documents (公文): one entry point for every kind, and voiding.

Other apps call ``issue_document`` (e.g. the supervision app for its 通报 and 警示约谈通知书);
the generators in ``anquan.documents.generators`` compose the four inspection/hazard documents
from their records and call it too. Documents issued by decision of the organ's leadership are
drafted and signed through ``drafts`` / ``signoff`` (拟稿 → 核稿 → 签发), the sign-off service other
modules reuse (see ``signoff``'s docstring).
"""
from .issue import ENFORCEMENT_KINDS, IssuedBy, document_void, is_enforcement_body, issue_document, issuing_assignment

__all__ = ["ENFORCEMENT_KINDS", "IssuedBy", "document_void", "is_enforcement_body", "issue_document",
           "issuing_assignment"]
