"""Forms of the administration pages (accounts, people, role assignments) and of changing one's password.

The services validate with the same forms, so a page, a script and a test get the same Chinese messages.
"""
from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone

from anquan.core.text import TextRuleMixin
from anquan.enterprises.models import Enterprise
from anquan.orgs.forms import indented
from anquan.orgs.models import Department, OrgUnit

from .models import Person, User
from .roles import ROLES, RoleCode

USERNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,29}$")


class PersonForm(TextRuleMixin, forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    post = forms.CharField(label="职务", max_length=100, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    enforcement_cert_no = forms.CharField(label="执法证号", max_length=40, required=False,
                                          help_text="执法人员填写，将印在检查记录和执法文书上。")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("请填写姓名")
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not re.fullmatch(r"[0-9+\-() ]{5,30}", phone):
            raise forms.ValidationError("联系电话只能包含数字、空格和 + - ( )")
        return phone


class UserCreateForm(TextRuleMixin, forms.Form):
    username = forms.CharField(label="用户名", max_length=30,
                               help_text="用于登录：字母开头，3–30位字母、数字、下划线、点或连字符，如 zhang_san。")
    person = forms.ModelChoiceField(label="人员", queryset=Person.objects.filter(voided_at__isnull=True),
                                    required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    post = forms.CharField(label="职务", max_length=100, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    reason = forms.CharField(label="开通事由", max_length=500, required=False,
                             help_text="如：新入职、岗位调整（记入审计日志）。")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not USERNAME_RE.match(username):
            raise forms.ValidationError("用户名须以字母开头，3–30位字母、数字、下划线、点或连字符")
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(f"用户名“{username}”已被使用")
        return username

    def clean(self):
        data = super().clean()
        if data.get("person") is None and not (data.get("name") or "").strip():
            self.add_error("name", "请填写姓名（或从人员页面为已有人员开通账号）")
        return data


class ReasonForm(TextRuleMixin, forms.Form):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


class AssignmentForm(TextRuleMixin, forms.Form):
    """A role for a period. 终止日期 is the last day the role is held (it ends at the following midnight)."""

    role = forms.ChoiceField(label="角色", choices=RoleCode.choices)
    unit = forms.ModelChoiceField(label="所在单位（区划）", required=False,
                                  queryset=OrgUnit.objects.filter(voided_at__isnull=True),
                                  help_text="安委办、属地工作人员、网格员、单位领导填写。")
    department = forms.ModelChoiceField(label="所在部门", required=False,
                                        queryset=Department.objects.filter(voided_at__isnull=True).select_related("unit"),
                                        help_text="行业部门工作人员、执法人员填写。")
    credit_code = forms.CharField(label="所在企业（统一社会信用代码）", max_length=18, required=False,
                                  help_text="企业安全管理员、企业主要负责人填写。")
    valid_from = forms.DateField(label="生效日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="不填则立即生效。")
    valid_to = forms.DateField(label="终止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="最后一天（含）；不填则长期有效，离任、调岗时再终止。")
    reason = forms.CharField(label="任职依据", max_length=500, required=False,
                             help_text="如任职文件文号、岗位调整通知（记入审计日志）。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].label_from_instance = indented
        self.fields["department"].label_from_instance = lambda d: f"{d.unit.name} · {d.name}"

    def clean(self):
        data = super().clean()
        role = ROLES.get(data.get("role") or "")
        if role is None:
            return data
        code = (data.get("credit_code") or "").strip().upper()
        data["enterprise"] = None
        if role.anchor == "enterprise":
            if not code:
                self.add_error("credit_code", "该角色必须填写所在企业的统一社会信用代码")
            else:
                data["enterprise"] = Enterprise.objects.filter(credit_code=code, voided_at__isnull=True).first()
                if data["enterprise"] is None:
                    self.add_error("credit_code", f"没有统一社会信用代码为“{code}”的企业")
        elif role.anchor == "unit" and data.get("unit") is None:
            self.add_error("unit", "该角色必须选择所在单位（区划）")
        elif role.anchor == "department" and data.get("department") is None:
            self.add_error("department", "该角色必须选择所在部门")
        start, end = data.get("valid_from"), data.get("valid_to")
        data["valid_from_at"] = _day_start(start) if start else None
        data["valid_to_at"] = _day_start(end + datetime.timedelta(days=1)) if end else None
        if start and end and end < start:
            self.add_error("valid_to", "终止日期不能早于生效日期")
        return data


class PasswordChangeForm(TextRuleMixin, forms.Form):
    old_password = forms.CharField(label="原密码（或临时密码）", widget=forms.PasswordInput(render_value=False))
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput(render_value=False),
                                   help_text="至少10位，不能是常见密码或纯数字。")
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput(render_value=False))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password2") and data["new_password"] != data["new_password2"]:
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data
