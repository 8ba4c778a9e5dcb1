"""Forms of the administration pages for units and departments; the services validate with the same forms."""
from __future__ import annotations

from django import forms

from anquan.core.text import TextRuleMixin

from .models import Department, DepartmentKind, Industry, OrgUnit, UnitKind


def indented(unit: OrgUnit) -> str:
    return "\u3000" * unit.depth + f"{unit.name}（{unit.get_kind_display()}）"


class OrgUnitForm(TextRuleMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="层级", choices=UnitKind.choices)
    parent = forms.ModelChoiceField(label="上级区划", required=False, empty_label="（无：省级）",
                                    queryset=OrgUnit.objects.filter(voided_at__isnull=True).exclude(kind=UnitKind.GRID))
    code = forms.CharField(label="区划代码", max_length=20, required=False,
                           help_text="统计用区划代码，如 330106001；网格可不填。")

    def __init__(self, *args, instance: OrgUnit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["parent"].label_from_instance = indented

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("请填写名称")
        return name

    def clean(self):
        data = super().clean()
        name, parent = data.get("name"), data.get("parent")
        if name:
            siblings = OrgUnit.objects.filter(parent=parent, name=name, voided_at__isnull=True)
            if self.instance is not None:
                siblings = siblings.exclude(pk=self.instance.pk)
            if siblings.exists():
                self.add_error("name", f"“{parent.name if parent else '顶级'}”下已有同名区划“{name}”")
        return data


class DepartmentForm(TextRuleMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=DepartmentKind.choices)
    unit = forms.ModelChoiceField(label="所属区划", queryset=OrgUnit.objects.filter(
        voided_at__isnull=True, kind__in=[UnitKind.PROVINCE, UnitKind.CITY, UnitKind.DISTRICT, UnitKind.STREET]),
        help_text="部门所在的层级（如区县的应急管理局）；其管辖范围为该区划及全部下级。")
    industries = forms.ModelMultipleChoiceField(label="主管行业", queryset=Industry.objects.all(), required=False,
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, instance: Department | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["unit"].label_from_instance = indented

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("请填写名称")
        return name

    def clean(self):
        data = super().clean()
        name, unit = data.get("name"), data.get("unit")
        if name and unit:
            same = Department.objects.filter(unit=unit, name=name, voided_at__isnull=True)
            if self.instance is not None:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("name", f"“{unit.name}”已有同名部门“{name}”")
        return data
