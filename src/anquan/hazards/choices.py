"""Statuses, levels and sources of the hazard loop, declared once with their Chinese labels."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class HazardStatus(models.TextChoices):
    PENDING = "pending", _("待整改")
    RECTIFYING = "rectifying", _("整改中")
    AWAITING = "awaiting_verification", _("待验收")
    CLOSED = "closed", _("已销号")


#: Statuses in which the deadline runs against the rectifier (rules.md: overdue).
OPEN_FOR_RECTIFIER = (HazardStatus.PENDING, HazardStatus.RECTIFYING)


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("一般事故隐患")
    MAJOR = "major", _("重大事故隐患")


class HazardSource(models.TextChoices):
    SELF = "self", _("企业自查")
    INDUSTRY = "industry", _("行业检查")
    TERRITORIAL = "territorial", _("属地检查")
    GRID = "grid", _("网格巡查")
    EXPERT = "expert", _("专家排查")
    SUPERVISION = "supervision", _("督查检查")
    PUBLIC = "public", _("群众举报")
    MEDIA = "media", _("媒体曝光")


class Verdict(models.TextChoices):
    PENDING = "pending", _("待验收")
    PASSED = "passed", _("验收通过")
    SENT_BACK = "sent_back", _("退回")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class ControlKind(models.TextChoices):
    SUSPEND = "suspend", _("停工停产")
    STOP_EQUIPMENT = "stop_equipment", _("停止使用相关设施设备")
    EVACUATE = "evacuate", _("撤出作业人员")
    POWER_CUT = "power_cut", _("停止供电")


class ListingLevel(models.TextChoices):
    STREET = "street", _("街道（乡镇）级")
    DISTRICT = "district", _("区县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")


class ListingStatus(models.TextChoices):
    LISTED = "listed", _("挂牌督办中")
    RESUME_APPLIED = "resume_applied", _("已申请复工复产")
    REVIEWED = "reviewed", _("已现场审查")
    DELISTED = "delisted", _("已摘牌")


class AreaListingStatus(models.TextChoices):
    LISTED = "listed", _("挂牌督办中")
    REPORTED = "reported", _("已报告整改，待审查")
    DELISTED = "delisted", _("已摘牌")


class PhotoKind(models.TextChoices):
    FINDING = "finding", _("隐患照片")
    AFTER = "after", _("整改后照片")
    REVIEW = "review", _("复查照片")
