"""Page forms of the hazard pages: presentation and the page-only choices (site, category tree,
criteria of the site's industry, colleagues as finders, photos). Field validation lives in
``services.recording.HazardForm``, which these forms extend, so the page, the API and the
importer give the same Chinese messages; the service validates everything again.
"""
from __future__ import annotations

import datetime
from typing import NamedTuple

from django import forms
from django.db.models import Q
from django.utils import timezone

from anquan.accounts.models import Person
from anquan.accounts.roles import ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.core.text import TextRuleMixin
from anquan.core.uploads import MAX_PHOTOS_PER_UPLOAD, too_many_photos
from anquan.core.views import bootstrapify
from anquan.rules.calendar import local_date, today

from .choices import HazardSource
from .models import REPORT_FIELDS, ChecklistItem, Hazard, HazardCategory
from .services.recording import DESCRIPTIVE, HazardForm

#: The source a role usually records from, preselected on the record page.
DEFAULT_SOURCE = {
    "grid_worker": HazardSource.GRID, "street_staff": HazardSource.TERRITORIAL, "anweiban": HazardSource.TERRITORIAL,
    "dept_staff": HazardSource.INDUSTRY, "inspector": HazardSource.INDUSTRY, "expert": HazardSource.EXPERT,
    "supervisor": HazardSource.SUPERVISION, "ent_manager": HazardSource.SELF, "ent_principal": HazardSource.SELF,
}
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


def category_choices(industry=None, everything: bool = False) -> list[tuple[str, str]]:
    """The active category tree as indented options: general nodes and the site's industry's (or all)."""
    qs = HazardCategory.objects.filter(active=True)
    if not everything:
        if industry is not None:  # a sub-sector's site (冶金) also gets its parent's (工贸) categories
            wider = [industry.pk, *([industry.parent_id] if getattr(industry, "parent_id", None) else [])]
            qs = qs.filter(Q(industry__isnull=True) | Q(industry__in=wider))
        else:
            qs = qs.filter(industry__isnull=True)
    rows = list(qs.order_by("path").values_list("pk", "name", "path"))
    top = min((p.count("/") for _, _, p in rows), default=0)
    return [(str(pk), "\u3000" * (path.count("/") - top) + name) for pk, name, path in rows]


def criteria_queryset(industry=None, found_on=None, unit=None):
    """The 重大事故隐患判定标准 items that may judge a hazard of a site of ``industry`` found on ``found_on``
    (today when not given): in force that day, for the industry or its parent (services.judgement)."""
    from .services.judgement import applicable_items

    ids = [i.pk for _, items in applicable_items(industry, found_on or today(), unit) for i in items]
    return ChecklistItem.objects.filter(pk__in=ids).select_related("checklist").order_by(
        "checklist__code", "checklist__version", "sort", "id")


class CriterionOption(NamedTuple):
    pk: int
    label: str
    number: str
    library: str
    conditions: list      # [{"key", "text"}] of a "并且" item
    combined: bool


def criteria_options(industry=None, found_on=None, unit=None) -> list[tuple[str, list[CriterionOption]]]:
    """``[(library title, [CriterionOption])]`` of the applicable criteria, grouped by library."""
    from .services.judgement import applicable_items

    out = []
    for checklist, items in applicable_items(industry, found_on or today(), unit):
        title = f"{checklist.name}（第{checklist.version}版）"
        out.append((title, [CriterionOption(i.pk, f"{i.number} {i.text[:80]}", i.number, title, list(i.conditions or []),
                                            i.combined) for i in items]))
    return out


def criteria_groups(industry=None, found_on=None, unit=None) -> list[tuple[str, list[tuple[int, str]]]]:
    """``[(checklist title, [(item id, "number text")])]`` for an <optgroup> picker (direct items only;
    combined elements are ticked apart)."""
    return [(title, [(o.pk, o.label) for o in options if not o.combined])
            for title, options in criteria_options(industry, found_on, unit)
            if any(not o.combined for o in options)]


def _posted_day(raw) -> datetime.date:
    """The Shanghai day of a posted 发现时间 (the criteria in force that day), today when absent or unreadable."""
    if raw:
        try:
            moment = datetime.datetime.fromisoformat(str(raw))
        except ValueError:
            return today()
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return local_date(moment)
    return today()


def _place_kinds(industry, found_on, unit=None) -> list[tuple[str, str]]:
    """The place kinds named by the combined rules in force (industry codes shown by name)."""
    from anquan.orgs.models import Industry

    from .services.judgement import checklists_in_force

    kinds = []
    for checklist in checklists_in_force(industry, found_on, unit):
        for rule in checklist.combined_rules.all():
            kinds.extend(k for k in rule.place_kinds or () if k not in kinds)
    names = dict(Industry.objects.filter(code__in=kinds).values_list("code", "name"))
    return [(k, names.get(k, k)) for k in kinds]


def colleagues(user):
    """People the user may name as finders: those of the units, departments and enterprises of their posts."""
    q = Q(pk=user.person_id) if user.person_id else Q(pk__in=[])
    for a in active_assignments(user):
        if a.scope_kind == ScopeKind.ENTERPRISE and a.enterprise_id:
            q |= Q(enterprise_id=a.enterprise_id)
        elif a.department_id:
            q |= Q(department_id=a.department_id)
        elif a.unit_id:
            q |= Q(unit_id=a.unit_id, department__isnull=True, enterprise__isnull=True)
    return Person.objects.filter(q, voided_at__isnull=True).order_by("name", "id")


def source_choices(user) -> list[tuple[str, str]]:
    """Enterprise users record self-inspection only; everyone else any source but 企业自查."""
    kinds = {a.scope_kind for a in active_assignments(user) if a.permits("hazard.record")}
    if kinds == {ScopeKind.ENTERPRISE}:
        return [(HazardSource.SELF.value, HazardSource.SELF.label)]
    return [(v, label) for v, label in HazardSource.choices if v != HazardSource.SELF or ScopeKind.ENTERPRISE in kinds]


def default_source(user) -> str:
    for a in active_assignments(user):
        if a.permits("hazard.record") and a.role in DEFAULT_SOURCE:
            return DEFAULT_SOURCE[a.role]
    return HazardSource.TERRITORIAL


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiImageField(forms.FileField):
    """Several photos from one <input type=file multiple>; their content is checked by the service."""

    widget = MultiFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"accept": "image/*", "capture": "environment", "multiple": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        files = [f for f in files if f]
        if len(files) > MAX_PHOTOS_PER_UPLOAD:  # the API's cap too: a page stored 12 where the API takes 9
            raise forms.ValidationError(too_many_photos(len(files)))
        return files


class RecordForm(HazardForm):
    """The record page (登记隐患): HazardForm plus the place-dependent pickers and the photos."""

    site = forms.IntegerField(label="场所", widget=forms.HiddenInput)
    category = forms.ChoiceField(label="隐患类别", required=False)
    criterion = forms.TypedChoiceField(label="重大事故隐患判定依据", required=False, coerce=int, empty_value=None)
    # Rendered by hand (checkboxes per item / element); declared so the service's refusals show in place.
    criterion_conditions = forms.Field(label="须同时具备的情形", required=False, widget=forms.MultipleHiddenInput)
    elements = forms.Field(label="综合判定要素", required=False, widget=forms.MultipleHiddenInput)
    place_kind = forms.CharField(label="场所类别", required=False, max_length=40)
    found_by = forms.ModelMultipleChoiceField(label="发现人", queryset=Person.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    photos = MultiImageField(label="隐患照片")
    after_photos = MultiImageField(label="整改后照片（立查立改）")

    class Meta(HazardForm.Meta):
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 2}),
            "contingency_plan": forms.Textarea(attrs={"rows": 2}),
            "found_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE),
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "level": forms.RadioSelect,
            **{f: forms.Textarea(attrs={"rows": 2}) for f in ("report_situation", "report_harm", "plan_goal", "plan_methods",
                                                            "plan_funds", "plan_org", "plan_timeline", "plan_safety")},
        }

    def __init__(self, *args, user, site=None, **kwargs):
        super().__init__(*args, unit=site.grid if site is not None else None, **kwargs)  # the locality's date bounds
        industry = site.industry if site is not None else None
        self.fields["category"].choices = [("", "请选择隐患类别"), *category_choices(industry)]
        self.found_on = _posted_day(self.data.get("found_at") if self.is_bound else None)
        options = criteria_options(industry, self.found_on, site.grid if site is not None else None)
        groups = [(title, [(o.pk, o.label) for o in opts if not o.combined]) for title, opts in options]
        groups = [g for g in groups if g[1]]
        self.fields["criterion"].choices = [("", "（不适用：按一般事故隐患登记）"), *groups]
        self.criteria, self.criteria_available = groups, bool(groups)
        # the picker's details: each item's library and number (the proposal names them) and its "并且" conditions
        self.criteria_options = [o for _, opts in options for o in opts if not o.combined]
        self.criteria_with_conditions = [o for o in self.criteria_options if o.conditions]
        # combined elements (GB 35181 ch. 6), ticked apart, with the place kinds of the rules
        self.combined_elements = [(title, [o for o in opts if o.combined]) for title, opts in options if any(o.combined for o in opts)]
        self.place_kinds = _place_kinds(industry, self.found_on, site.grid if site is not None else None) if self.combined_elements else []
        self.chosen_conditions = set(self.data.getlist("criterion_conditions")) if self.is_bound and hasattr(self.data, "getlist") else set()
        self.chosen_elements = set(self.data.getlist("elements")) if self.is_bound and hasattr(self.data, "getlist") else set()
        self.fields["source"].choices = source_choices(user)
        self.fields["found_by"].queryset = colleagues(user)
        self.fields["found_by"].error_messages["invalid_choice"] = "所选发现人不在可选范围内"
        self.fields["level"].choices = self.fields["level"].choices[1:] if self.fields["level"].choices[0][0] == "" else self.fields["level"].choices
        self.fields["funds"].widget.attrs.update({"inputmode": "decimal", "min": "0", "step": "0.01"})
        self.fields["deadline"].label = "整改期限"
        self.fields["deadline"].help_text = "立查立改的不需填写"
        if not any(a.permits("hazard.judge_major") or a.scope_kind == ScopeKind.ENTERPRISE
                   for a in active_assignments(user) if a.permits("hazard.record")):
            # the service refuses 重大 from them (recording.major_refusal); say so before they try
            self.fields["level"].help_text = "疑似重大事故隐患的，按一般事故隐患登记并在描述中说明，由街道（乡镇）或行业部门对照判定标准判定"
        self.fields["responsible_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["description"].widget.attrs["placeholder"] = "写清楚在哪里、什么东西、什么问题，也可以从下方的标准描述中点选"
        if site is not None:
            self.initial["site"] = site.pk
        if not self.is_bound:
            self.initial.setdefault("found_at", timezone.localtime().strftime(LOCAL_MINUTE))
            self.initial.setdefault("source", default_source(user))
            self.initial.setdefault("level", "general")
            if user.person_id:
                self.initial.setdefault("found_by", [user.person_id])
        bootstrapify(self)


class HazardEditForm(TextRuleMixin, forms.ModelForm):
    """修改隐患信息: the descriptive fields only (deadline, level, site and unit have their own services);
    the 重大 report and 治理方案 are shown for a 重大 hazard."""

    DATA_FIELDS = DESCRIPTIVE
    category = forms.ChoiceField(label="隐患类别", required=False)
    responsible_name = forms.CharField(label="整改责任人", max_length=50, required=False)
    responsible_phone = forms.CharField(label="责任人电话", max_length=30, required=False)

    class Meta:
        model = Hazard
        fields = ["description", "location", "measures", "funds", "contingency_plan", *REPORT_FIELDS]
        widgets = {f: forms.Textarea(attrs={"rows": 3 if f == "description" else 2})
                   for f in ("description", "measures", "contingency_plan", *REPORT_FIELDS)}

    def __init__(self, data=None, *, hazard: Hazard, locked=frozenset()):
        """``locked``: the fields this user may not change (``services.recording.locked_fields``); they are
        left out of the form, so the page shows them as text and never posts them."""
        person = hazard.responsible_person
        initial = {"category": hazard.category_id or "", "responsible_name": person.name if person else "",
                   "responsible_phone": person.phone if person else ""}
        super().__init__(data, instance=hazard, initial=initial)
        choices = category_choices(hazard.industry)
        if hazard.category_id and str(hazard.category_id) not in {pk for pk, _ in choices}:
            # Its category may lie outside the site's industry's tree (a 消防 item of an inspection
            # checklist on a 工贸 site) or be retired: keep it selectable, or the page would show
            # （未分类） and saving would clear it.
            choices.insert(0, (str(hazard.category_id), hazard.category.name))
        self.fields["category"].choices = [("", "（未分类）"), *choices]
        self.locked = sorted(locked)
        for name in locked:
            self.fields.pop(name, None)
        if not hazard.is_major:
            for name in REPORT_FIELDS:
                del self.fields[name]
        self.fields["funds"].widget.attrs.update({"inputmode": "decimal", "min": "0", "step": "0.01"})
        bootstrapify(self)

    def _post_clean(self):
        """Validation is the service's (``hazard_update``); never touch the instance here."""
