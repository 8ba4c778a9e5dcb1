"""The closed loop end to end through the services: record → start → submit → send back → resubmit → close."""
import datetime
import io

import pytest
from PIL import Image

from anquan.audit.models import AuditEvent
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards import services
from anquan.hazards.choices import HazardStatus, Verdict

pytestmark = pytest.mark.django_db


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def world():
    tree = make_tree()
    firm = make_enterprise(tree.grid_a, name="闭环测试厂")
    site = make_site(tree.grid_a, enterprise=firm, industry_code="industry_trade")
    return {
        "tree": tree, "firm": firm, "site": site,
        "grid": make_user("grid_worker", unit=tree.grid_a),
        "street": make_user("street_staff", unit=tree.street_a),
        "street_b": make_user("street_staff", unit=tree.street_b),
        "firm_user": make_user("ent_manager", enterprise=firm),
    }


def soon() -> str:
    """A deadline within every maximum (``hazard.deadline.max_days``), whatever the day the test runs."""
    from anquan.rules.calendar import today

    return (today() + datetime.timedelta(days=30)).isoformat()


def record(world, **extra):
    data = {"site": world["site"].pk, "description": "配电箱门未关闭，线路裸露", "source": "grid",
            "deadline": (datetime.date.today() + datetime.timedelta(days=10)).isoformat(), **extra}
    return services.hazard_record(actor=world["grid"], data=data, photos=[png()])


def test_the_loop_closes_only_after_verification_by_another_person(world):
    hazard = record(world)
    assert hazard.status == HazardStatus.PENDING and hazard.grid_path == world["tree"].grid_a.path
    assert hazard.photos.count() == 1 and hazard.number.startswith("YH")
    services.hazard_start(actor=world["firm_user"], hazard=hazard, version=hazard.version)
    with pytest.raises(Invalid):
        services.hazard_submit(actor=world["firm_user"], hazard=hazard, version=hazard.version, measures_taken="已整改")
    services.hazard_submit(actor=world["firm_user"], hazard=hazard, version=hazard.version, measures_taken="已关闭柜门并更换线路", after_photos=[png()])
    assert hazard.status == HazardStatus.AWAITING
    with pytest.raises(NotFound):  # another street cannot even see it
        services.hazard_verify(actor=world["street_b"], hazard=hazard, version=hazard.version, passed=True)
    with pytest.raises(Invalid):
        services.hazard_verify(actor=world["street"], hazard=hazard, version=hazard.version, passed=False)
    services.hazard_verify(actor=world["street"], hazard=hazard, version=hazard.version, passed=False, reason="照片不清晰")
    assert hazard.status == HazardStatus.RECTIFYING
    services.hazard_submit(actor=world["firm_user"], hazard=hazard, version=hazard.version, measures_taken="补充照片", after_photos=[png()])
    services.hazard_verify(actor=world["street"], hazard=hazard, version=hazard.version, passed=True)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED and hazard.closed_on_time is True
    assert [r.verdict for r in hazard.rounds.all()] == [Verdict.SENT_BACK, Verdict.PASSED]
    assert hazard.rounds.first().photos.count() == 1  # the first round's evidence is kept
    actions = list(AuditEvent.objects.filter(model_key="hazard", object_id=hazard.pk).values_list("action", flat=True))
    assert actions == ["record", "start", "submit", "send_back", "submit", "verify"]
    with pytest.raises(Conflict):
        services.hazard_start(actor=world["firm_user"], hazard=hazard, version=hazard.version)


def test_the_submitter_never_verifies(world):
    rental = make_site(world["tree"].grid_a, name="出租房")  # no enterprise: the street rectifies itself
    hazard = services.hazard_record(actor=world["grid"], data={"site": rental.pk, "description": "电动车室内充电",
                                                               "source": "grid", "deadline": soon()})
    street = world["street"]
    services.hazard_submit(actor=street, hazard=hazard, version=hazard.version, measures_taken="街道代为整改", after_photos=[png()])
    with pytest.raises(Forbidden):
        services.hazard_verify(actor=street, hazard=hazard, version=hazard.version, passed=True)


def test_a_street_does_not_rectify_an_enterprise_hazard(world):
    hazard = record(world)
    with pytest.raises(Forbidden, match="企业的隐患由企业负责整改"):
        services.hazard_submit(actor=world["street"], hazard=hazard, version=hazard.version, measures_taken="代为整改", after_photos=[png()])


def test_bad_photo_is_refused_by_content(world):
    with pytest.raises(Invalid):
        services.hazard_record(actor=world["grid"], data={"site": world["site"].pk, "description": "x", "source": "grid",
                                                          "deadline": soon()}, photos=[b"GIF89a not really"])


def test_suspension_is_derived_from_active_controls(world):
    first, second = record(world), record(world, description="第二处隐患")
    anweiban = make_user("anweiban", unit=world["tree"].district)
    a = services.control_start(actor=anweiban, hazard=first, kind="suspend", reason="安全生产法第六十五条")
    services.control_start(actor=anweiban, hazard=second, kind="suspend", reason="同上")
    assert world["site"].operating_status == world["firm"].operating_status == "停产整顿"
    services.control_end(actor=anweiban, control=a, reason="第一处已整改")
    assert world["firm"].operating_status == "停产整顿"  # one of two lifted: still suspended
    services.control_end(actor=anweiban, control=second.controls.get(), reason="第二处已整改")
    assert world["site"].operating_status == "正常" and world["firm"].operating_status == "正常"
