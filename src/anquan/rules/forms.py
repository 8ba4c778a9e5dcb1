"""Forms of the rules pages: an override with its reason, and a year's holiday schedule (file or typed lines)."""
from __future__ import annotations

from django import forms

from anquan.core.errors import Invalid
from anquan.core.text import TextRuleMixin
from anquan.orgs.models import OrgUnit, UnitKind

from . import holiday_csv
from .services import YEAR_RANGE

#: Levels that set rules for their area (governments); communities and grids inherit.
LOCALITY_KINDS = (UnitKind.PROVINCE, UnitKind.CITY, UnitKind.DISTRICT, UnitKind.STREET)


def locality_queryset(user):
    return OrgUnit.objects.visible_to(user).filter(voided_at__isnull=True, kind__in=LOCALITY_KINDS).order_by("path")


def indented(unit: OrgUnit) -> str:
    return "\u3000" * unit.depth + f"{unit.name}（{unit.get_kind_display()}）"


class OverrideForm(TextRuleMixin, forms.Form):
    unit = forms.ModelChoiceField(label="适用区划", queryset=OrgUnit.objects.none(), required=False,
                                  empty_label="全系统（所有区划）",
                                  help_text="对所选区划及其全部下级生效；下级另有设置的，以下级为准。")
    value = forms.CharField(label="取值", max_length=60)
    reason = forms.CharField(label="调整理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="请写明依据的地方文件及文号，将记入审计日志。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = locality_queryset(user)
        field.label_from_instance = indented


class HolidayYearForm(TextRuleMixin, forms.Form):
    year = forms.IntegerField(label="年份", min_value=YEAR_RANGE.start, max_value=YEAR_RANGE.stop - 1)
    source_document = forms.CharField(label="依据文件", max_length=200,
                                      help_text="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）")
    file = forms.FileField(label="CSV文件", required=False,
                           help_text="每行一天：日期,是否上班,名称，例如 2027-02-06,否,春节；调休上班日填“是”。")
    text = forms.CharField(label="或直接粘贴/输入", required=False, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text="与CSV文件格式相同，每行一天。")
    reason = forms.CharField(label="说明", max_length=500, required=False)

    def clean(self):
        data = super().clean()
        upload, text, year = data.get("file"), (data.get("text") or "").strip(), data.get("year")
        if bool(upload) == bool(text):
            self.add_error("file", "请上传CSV文件，或在下方输入，二者选一")
            return data
        if year is None:
            return data
        try:
            data["days"] = holiday_csv.parse(upload.read() if upload else text, year)
        except Invalid as exc:
            for message in exc.errors.get("file", []):
                self.add_error("file" if upload else "text", message)
        return data


class HolidayDayForm(TextRuleMixin, forms.Form):
    """One day of a schedule as typed in the form: a date, 放假 or 上班 (调休), and its name."""

    # Classes set here as well: the page's blank row template (formset.empty_form) is not passed through bootstrapify.
    date = forms.DateField(label="日期", required=False,
                           widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}))
    is_workday = forms.TypedChoiceField(label="安排", choices=[("0", "放假"), ("1", "调休上班")], coerce=lambda v: v == "1",
                                        initial="0", required=False, widget=forms.Select(attrs={"class": "form-select"}))
    name = forms.CharField(label="名称", max_length=50, required=False,
                           widget=forms.TextInput(attrs={"placeholder": "如：春节", "class": "form-control"}))

    def clean(self):
        data = super().clean()
        if data.get("date") and not (data.get("name") or "").strip():
            self.add_error("name", "请填写名称（如“春节”“春节调休上班”）")
        if (data.get("name") or "").strip() and not data.get("date"):
            self.add_error("date", "请填写日期")
        return data


HolidayDayFormSet = forms.formset_factory(HolidayDayForm, extra=0, max_num=366, absolute_max=366)


class HolidayScheduleForm(TextRuleMixin, forms.Form):
    """The year and its source; the days come from the formset beside it."""

    year = forms.IntegerField(label="年份", min_value=YEAR_RANGE.start, max_value=YEAR_RANGE.stop - 1)
    source_document = forms.CharField(label="依据文件", max_length=200,
                                      help_text="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）")
    reason = forms.CharField(label="说明", max_length=500, required=False)
