"""双随机: the pure draw is reproducible from its record, and a plan's draw is stored, audited and verifiable."""
import random

import pytest

from anquan.audit.models import AuditEvent
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.inspections.models import Draw
from anquan.inspections.services import draw as d
from anquan.inspections.services import plans

from . import plans_world as pw

pytestmark = pytest.mark.django_db

FRAME = list(range(101, 161))
POOL = [7, 3, 11, 5, 9, 13, 2]


def test_same_seed_frame_pool_same_result_whatever_the_input_order():
    first = d.draw(20261122, FRAME, POOL, 10, 2)
    rng = random.Random(1)
    for _ in range(5):
        frame, pool = FRAME[:], POOL[:]
        rng.shuffle(frame)
        rng.shuffle(pool)
        assert d.draw(20261122, frame + frame[:3], pool, 10, 2) == first  # order and duplicates do not matter
    assert len(first) == 10
    assert len({r["site"] for r in first}) == 10
    assert all(len(set(r["inspectors"])) == 2 and set(r["inspectors"]) <= set(POOL) for r in first)


def test_another_seed_gives_another_result_and_the_algorithm_is_the_documented_one():
    assert d.draw(1, FRAME, POOL, 10, 2) != d.draw(2, FRAME, POOL, 10, 2)
    # Recomputed by hand exactly as the module docstring says.
    frame, pool = sorted(FRAME), sorted(POOL)
    # Targets are drawn first, then the inspectors of each target in the drawn order.
    rng = random.Random(42)
    targets = rng.sample(frame, 4)
    expected = [{"site": s, "inspectors": sorted(rng.sample(pool, 3))} for s in targets]
    assert d.draw(42, FRAME, POOL, 4, 3) == expected


def test_count_larger_than_frame_takes_the_whole_frame_and_conflicts_are_avoided():
    result = d.draw(5, [1, 2, 3], [10, 11, 12], 10, 2, conflicts={1: [10], 2: [10, 11]})
    assert sorted(r["site"] for r in result) == [1, 2, 3]
    by_site = {r["site"]: r["inspectors"] for r in result}
    assert 10 not in by_site[1]
    # Only one person left for site 2 without a conflict: the whole pool is used (the organiser sees it).
    assert len(by_site[2]) == 2
    with pytest.raises(ValueError):
        d.draw(5, [1], [10], 1, 2)


@pytest.fixture
def world():
    w = pw.build()
    w["checklist"] = pw.published(w["admin"], "工贸通用检查表")
    return w


def _plan(w, actor="yingji", **extra):
    data = {"name": "2026年12月工贸行业双随机抽查", "kind": "industry", **pw.PERIOD,
            "checklists": [w["checklist"].pk], "enforcement": True, "inspectors_per_task": 2, **extra}
    return plans.plan_create(actor=w[actor], data=data)


@pytest.mark.frozen("2026-11-22 10:00 +0800")
def test_plan_draw_is_stored_audited_and_reproducible(world):
    w = world
    pool = [w[k].person_id for k in ("zf3", "zf1", "zf2")]
    plan = _plan(w)
    drawn = plans.plan_draw(actor=w["yingji"], plan=plan, version=plan.version, seed="123456789", target_count=2, pool=pool)
    drawn.refresh_from_db()
    # The frame is the department's regulated live sites (工贸 and 危化; not 建筑, not the closed firm), sorted.
    assert drawn.frame == sorted([w["site_a"].pk, w["site_a2"].pk, w["site_b"].pk])
    assert drawn.pool == sorted(pool)
    assert drawn.seed == 123456789
    assert drawn.result == d.draw(123456789, drawn.frame, drawn.pool, 2, 2)
    assert plans.draw_verify(drawn) == {"same": True, "result": drawn.result}
    # In the audit trail, with the seed, the frame size, the pool and the result.
    event = AuditEvent.objects.get(model_key="draw", object_id=drawn.pk, action="draw")
    assert event.after["seed"] == 123456789
    assert event.after["frame_size"] == 3
    assert event.after["pool"] == sorted(pool)
    assert event.after["result"] == drawn.result
    assert event.actor_id == w["yingji"].pk

    # Another plan over the same frame, the pool given in another order: the same result.
    other = _plan(w, name="复核用计划")
    again = plans.plan_draw(actor=w["yingji"], plan=other, version=other.version, seed=123456789, target_count=2,
                            pool=list(reversed(pool)))
    assert again.result == drawn.result

    # A tampered result no longer verifies; the plan cannot be drawn twice.
    Draw.objects.filter(pk=drawn.pk).update(result=[{"site": w["site_b"].pk, "inspectors": sorted(pool)[:2]}])
    drawn.refresh_from_db()
    assert plans.draw_verify(drawn)["same"] is False
    plan.refresh_from_db()
    with pytest.raises(Conflict, match="已经抽取"):
        plans.plan_draw(actor=w["yingji"], plan=plan, version=plan.version, seed=1, target_count=1, pool=pool)


@pytest.mark.frozen("2026-11-22 10:00 +0800")
def test_generated_seed_is_recorded(world):
    w = world
    plan = _plan(w)
    drawn = plans.plan_draw(actor=w["yingji"], plan=plan, version=plan.version, seed="", target_count=1,
                            pool=[w["zf1"].person_id, w["zf2"].person_id])
    assert 0 <= drawn.seed < 10**12
    assert plans.draw_verify(drawn)["same"]


@pytest.mark.frozen("2026-11-22 10:00 +0800")
def test_enforcement_draw_needs_two_certified_people_and_bad_input_is_refused_in_chinese(world):
    w = world
    plan = _plan(w)
    v = plan.version
    with pytest.raises(Invalid) as err:  # the department staff member holds no 执法证
        plans.plan_draw(actor=w["yingji"], plan=plan, version=v, seed=1, target_count=1,
                        pool=[w["zf1"].person_id, w["yingji"].person_id])
    assert "执法证" in err.value.errors["pool"][0]
    with pytest.raises(Invalid) as err:
        plans.plan_draw(actor=w["yingji"], plan=plan, version=v, seed=1, target_count=1, pool=[w["zf1"].person_id])
    assert "少于" in err.value.errors["pool"][0]
    with pytest.raises(Invalid) as err:
        plans.plan_draw(actor=w["yingji"], plan=plan, version=v, seed="abc", target_count=1, pool=[])
    assert "随机种子" in err.value.errors["seed"][0]
    with pytest.raises(Invalid) as err:
        plans.plan_draw(actor=w["yingji"], plan=plan, version=v, seed=-1, target_count=1, pool=[])
    with pytest.raises(Invalid) as err:
        plans.plan_draw(actor=w["yingji"], plan=plan, version=v, seed=1, target_count="x",
                        pool=[w["zf1"].person_id, w["zf2"].person_id])
    assert "抽取对象数" in err.value.errors["target_count"][0]
    with pytest.raises(Invalid):  # someone of another district is not in the pool
        plans.plan_draw(actor=w["yingji"], plan=plan, version=v, seed=1, target_count=1,
                        pool=[w["zf1"].person_id, w["other_zj"].person_id])
    with pytest.raises(Forbidden):  # an inspector sees the department's plan but may not draw
        plans.plan_draw(actor=w["zf1"], plan=plan, version=v, seed=1, target_count=1, pool=[])
    with pytest.raises(NotFound):
        plans.plan_draw(actor=w["zhujian"], plan=plan, version=v, seed=1, target_count=1, pool=[])
    assert not Draw.objects.exists()
    with pytest.raises(Invalid) as err:  # no 执法检查 with fewer than two per task
        _plan(w, inspectors_per_task=1)
    assert "两名" in err.value.errors["inspectors_per_task"][0]
