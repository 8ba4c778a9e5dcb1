"""Issuing official documents (公文): one entry point for every kind, and voiding.

Other apps call ``issue_document`` (e.g. the supervision app for its 通报 and 警示约谈通知书);
the generators in ``anquan.documents.generators`` compose the four inspection/hazard documents
from their records and call it too.
"""
from .issue import IssuedBy, document_void, issue_document, issuing_assignment

__all__ = ["IssuedBy", "document_void", "issue_document", "issuing_assignment"]
