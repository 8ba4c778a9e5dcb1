"""The accident app's fixed vocabularies (codes are stable: API, statistics, rewards and assessment use them)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccidentLevel(models.TextChoices):
    """事故等级 (493号令 第三条); the four codes are the accident levels everywhere in the platform."""

    GENERAL = "general", _("一般")
    LARGER = "larger", _("较大")
    MAJOR = "major", _("重大")
    ESPECIALLY_MAJOR = "especially_major", _("特别重大")


#: Levels from lowest to highest (the grade is the highest any dimension reaches).
LEVEL_ORDER = [AccidentLevel.GENERAL, AccidentLevel.LARGER, AccidentLevel.MAJOR, AccidentLevel.ESPECIALLY_MAJOR]


def level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level)


class AccidentKind(models.TextChoices):
    """事故类别 (GB 6441-1986《企业职工伤亡事故分类》的20类)."""

    OBJECT_STRIKE = "object_strike", _("物体打击")
    VEHICLE = "vehicle", _("车辆伤害")
    MACHINERY = "machinery", _("机械伤害")
    LIFTING = "lifting", _("起重伤害")
    ELECTRIC = "electric", _("触电")
    DROWNING = "drowning", _("淹溺")
    SCALD = "scald", _("灼烫")
    FIRE = "fire", _("火灾")
    FALL = "fall", _("高处坠落")
    COLLAPSE = "collapse", _("坍塌")
    ROOF_FALL = "roof_fall", _("冒顶片帮")
    WATER_INRUSH = "water_inrush", _("透水")
    BLASTING = "blasting", _("放炮")
    EXPLOSIVE = "explosive", _("火药爆炸")
    GAS_EXPLOSION = "gas_explosion", _("瓦斯爆炸")
    BOILER_EXPLOSION = "boiler_explosion", _("锅炉爆炸")
    VESSEL_EXPLOSION = "vessel_explosion", _("容器爆炸")
    OTHER_EXPLOSION = "other_explosion", _("其他爆炸")
    POISONING = "poisoning", _("中毒和窒息")
    OTHER = "other", _("其他伤害")


class GovLevel(models.TextChoices):
    """A level on the reporting chain and of the investigating body."""

    UNIT = "unit", _("事故发生单位")
    COUNTY = "county", _("县级")
    CITY = "city", _("设区的市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("国家级（国务院）")


GOV_ORDER = [GovLevel.UNIT, GovLevel.COUNTY, GovLevel.CITY, GovLevel.PROVINCE, GovLevel.NATIONAL]


class AccidentStatus(models.TextChoices):
    REPORTED = "reported", _("已报告")
    INVESTIGATING = "investigating", _("调查中")
    REPORT_SUBMITTED = "report_submitted", _("调查报告已提交")
    APPROVED = "approved", _("已批复")
    CLOSED = "closed", _("已结案")


class LateKind(models.TextChoices):
    """迟报/漏报/谎报/瞒报 (493号令 第三十五条、第三十六条; 第四条 要求及时、准确、完整)."""

    LATE = "late", _("迟报")
    OMITTED = "omitted", _("漏报")
    FALSE = "false", _("谎报")
    CONCEALED = "concealed", _("瞒报")


class FourNotsItem(models.TextChoices):
    """四不放过: the case closes only when all four are recorded with evidence."""

    CAUSE = "cause", _("事故原因未查清不放过")
    RESPONSIBLE = "responsible", _("事故责任人未受到处理不放过")
    MEASURES = "measures", _("整改措施未落实不放过")
    EDUCATED = "educated", _("有关人员未受到教育不放过")


#: Whom each government level informs when it receives a report (493号令 第十条).
INFORMED_PARTIES = ("公安机关", "人力资源社会保障部门", "工会", "人民检察院", "本级人民政府")
