"""To-do of the workbench: 待签发公文 — sign-offs waiting on the user (核稿, 签发, or his own draft sent back).

The list it opens (``documents:signoffs``, tab 待我办理) shows exactly ``signoff.waiting_for(user)``,
so the count equals the length of the list. Registered with ``anquan.workbench.registry``
(autodiscovered by the workbench app).
"""
from __future__ import annotations

from django.urls import reverse

from anquan.accounts.roles import ROLES, SIGNOFF_DRAFT, SIGNOFF_REVIEW, SIGNOFF_SIGN
from anquan.workbench.registry import DECIDE, todo

from .services.signoff import waiting_for

#: The roles that draft, review or sign (accounts/roles.py), read from the role table.
SIGNOFF_ROLES = frozenset(str(code) for code, role in ROLES.items()
                          if role.actions & {SIGNOFF_DRAFT, SIGNOFF_REVIEW, SIGNOFF_SIGN})


def url(user) -> str:
    return reverse("documents:signoffs")


@todo("documents.signoffs", "待签发公文", urgency=DECIDE, url=url, roles=SIGNOFF_ROLES,
      hint="待我核稿、签发的稿件和退回我修改的稿件")
def count(user, today=None) -> int:
    return waiting_for(user).count()
