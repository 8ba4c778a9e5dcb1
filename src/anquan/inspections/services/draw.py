"""The random draw of 双随机抽查 (random targets × random inspectors), as a pure function.

Anyone holding a draw's stored record (seed, frame, pool, counts) can recompute its result:

1. ``frame`` (candidate site ids) and ``pool`` (inspector person ids) are de-duplicated and
   sorted ascending, so the order in which they were gathered never matters.
2. ``rng = random.Random(seed)`` — CPython's Mersenne Twister seeded with the integer seed.
3. Targets: ``rng.sample(frame, min(target_count, len(frame)))``, kept in the drawn order.
4. For each target in that order: the eligible inspectors are the pool (sorted) minus the
   people with a conflict of interest at that site (``conflicts[site]``), unless that leaves
   fewer than ``per_target`` — then the whole pool (the conflict is then visible in the
   result and the organiser decides); inspectors = ``sorted(rng.sample(eligible, per_target))``.
   (For a 执法检查 the pool holds only people with a 执法证, so every drawn pair qualifies.)
5. The result is ``[{"site": id, "inspectors": [ids…]}, …]``.

Every draw of targets and inspectors uses the same ``rng`` in this fixed order, so the same
seed, frame, pool and counts give the same result on any machine with the same Python.
Nothing here touches the database; ``plans.plan_draw`` gathers the inputs, stores them and
audits the draw, and ``plans.draw_verify`` recomputes it from the stored record.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Mapping

#: Largest seed accepted (fits the BigIntegerField and JSON numbers exactly).
MAX_SEED = 2**53 - 1


def normalise(ids: Iterable[int]) -> list[int]:
    """De-duplicated, ascending ids: the canonical order of a frame or a pool."""
    return sorted({int(i) for i in ids})


def draw(
    seed: int,
    frame: Iterable[int],
    pool: Iterable[int],
    target_count: int,
    per_target: int,
    conflicts: Mapping[int, Iterable[int]] | None = None,
) -> list[dict]:
    """Draw ``target_count`` sites from ``frame`` and ``per_target`` inspectors from ``pool`` for each."""
    frame = normalise(frame)
    pool = normalise(pool)
    conflicts = {int(k): set(map(int, v)) for k, v in (conflicts or {}).items()}
    if per_target > len(pool):
        raise ValueError("pool smaller than per_target")
    rng = random.Random(seed)
    targets = rng.sample(frame, min(target_count, len(frame)))
    result = []
    for site in targets:
        eligible = [p for p in pool if p not in conflicts.get(site, ())]
        if len(eligible) < per_target:
            eligible = pool
        chosen = rng.sample(eligible, per_target)
        result.append({"site": site, "inspectors": sorted(chosen)})
    return result
