"""Validation of enterprise and site input, shared by the pages, the API and the Excel importer.

Choice fields are limited to the user's scope for the action, so an out-of-scope
unit can neither be picked in a dropdown nor smuggled in a request body.
"""
from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from anquan.core.text import TextRuleMixin
from anquan.orgs.models import Industry, OrgUnit, UnitKind

from . import credit_code
from .models import Enterprise, Site


class ScopedFormMixin:
    def limit_units(self, field: str, user, action: str):
        qs = OrgUnit.objects.visible_to(user, action).filter(kind=UnitKind.GRID, voided_at__isnull=True)
        self.fields[field].queryset = qs
        self.fields[field].error_messages["invalid_choice"] = _("所选网格不存在或不在您的管辖范围内")


class EnterpriseForm(TextRuleMixin, ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name", "credit_code", "legal_representative", "principal_name", "principal_phone",
            "safety_manager_name", "safety_manager_phone", "address", "unit", "industries", "scale",
            "employees", "status", "risk_colour", "standard_grade", "standard_cert_no", "standard_cert_expiry",
        ]
        widgets = {"standard_cert_expiry": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_units("unit", user, action)
        self.fields["industries"].queryset = Industry.objects.all()
        self.fields["employees"].max_value = 10_000_000
        self.fields["employees"].validators.append(MaxValueValidator(10_000_000))
        self.fields["industries"].widget = forms.CheckboxSelectMultiple(choices=self.fields["industries"].choices)

    def clean_credit_code(self):
        code = credit_code.normalize(self.cleaned_data.get("credit_code", ""))
        problem = credit_code.problem(code)
        if problem:
            raise forms.ValidationError(problem)
        return code

    def clean(self):
        data = super().clean()
        if data.get("standard_grade") and not data.get("standard_cert_no"):
            self.add_error("standard_cert_no", _("已评定标准化等级的，请填写证书编号"))
        return data


class SiteForm(TextRuleMixin, ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Site
        fields = ["name", "kind", "enterprise", "grid", "industry", "address", "contact_name", "contact_phone"]

    def __init__(self, *args, user, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_units("grid", user, action)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).live()
        self.fields["enterprise"].error_messages["invalid_choice"] = _("所选企业不存在或不在您的管辖范围内")
        self.fields["enterprise"].required = False
