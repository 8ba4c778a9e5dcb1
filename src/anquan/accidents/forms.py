"""Page-side forms of the accident pages. Validation of what is stored is the services' (``services.reporting.AccidentForm``,
shared by the pages, the API and the demo); the forms here only choose the place and carry the list filters."""
from __future__ import annotations

from django import forms

from anquan.core.text import TextRuleMixin
from anquan.enterprises.models import Site
from anquan.orgs.models import OrgUnit, UnitKind

from .choices import AccidentKind, AccidentLevel

#: A picker with more places than this asks the reporter to search first.
MAX_PICK = 200


class PlaceForm(TextRuleMixin, forms.Form):
    """Where it happened: a registered site in the reporter's scope, or (for a street or department that learned of
    it first) a street, community or grid when the place has no registered site."""

    q = forms.CharField(label="搜索场所", max_length=50, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def sites(self, text: str = ""):
        qs = (Site.objects.visible_to(self.user, "accident.report").filter(voided_at__isnull=True)
              .select_related("enterprise", "grid").order_by("name", "id"))
        if text:
            qs = qs.filter(name__icontains=text) | qs.filter(enterprise__name__icontains=text)
        return list(qs[: MAX_PICK + 1])

    def units(self):
        return list(OrgUnit.objects.visible_to(self.user, "accident.report")
                    .filter(voided_at__isnull=True, kind__in=[UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.GRID])
                    .order_by("path")[:MAX_PICK])


class FilterForm(TextRuleMixin, forms.Form):
    """The list's filters (the statistics page links here with the same names: ``stats.FILTERS``)."""

    q = forms.CharField(label="搜索", max_length=50, required=False)
    level = forms.ChoiceField(label="事故等级", required=False, choices=[("", "全部等级"), *AccidentLevel.choices])
    kind = forms.ChoiceField(label="事故类别", required=False, choices=[("", "全部类别"), *AccidentKind.choices])
    date_from = forms.DateField(label="发生日期自", required=False)
    date_to = forms.DateField(label="至", required=False)
