"""Issue 5, item 8: each target checked against the results, and the printed table."""
from __future__ import annotations

import json
from pathlib import Path

STREET_DISTRICT = ("hazard_list_street", "hazard_list_district", "hazard_detail")
LISTS_AND_DETAIL = ("hazard_list_street", "hazard_list_district", "hazard_list_city", "hazard_list_province",
                    "hazard_list_deep", "hazard_detail")


def _target(name: str, value, limit, met: bool | None, note: str = "") -> dict:
    out = {"target": name, "value": value, "limit": limit, "met": met}
    if note:
        out["note"] = note
    return out


def targets(results: list[dict], scale: str, page_size_queries: dict, other_scale: dict | None,
            commit: str | None = None) -> list[dict]:
    """Every target of item 8 with the measured value and met/missed (None: not measurable in this run)."""
    by = {r["scenario"]: r for r in results}
    out = []
    official = "" if scale == "province" else "目标按全省规模设定；本次为区县规模"

    def p(name, key="p50_ms"):
        return by.get(name, {}).get(key)

    for name in STREET_DISTRICT:
        if name in by:
            out.append(_target(f"{name} p50 ≤ 25 ms", p(name), 25, p(name) <= 25, official))
            out.append(_target(f"{name} p95 ≤ 60 ms", p(name, "p95_ms"), 60, p(name, "p95_ms") <= 60, official))
    for name in ("hazard_list_city", "hazard_list_province"):
        if name in by:
            out.append(_target(f"{name} p50 ≤ 60 ms", p(name), 60, p(name) <= 60, official))
    if "hazard_list_deep" in by and "hazard_list_district" in by:
        ratio = round(p("hazard_list_deep") / p("hazard_list_district"), 2)
        out.append(_target("hazard_list_deep p50 ≤ 2 × page 1 (hazard_list_district)", ratio, 2, ratio <= 2))
    for name in LISTS_AND_DETAIL:
        if name in by and by[name].get("sql_p50_ms") is not None:
            app = round(p(name) - by[name]["sql_p50_ms"], 1)
            out.append(_target(f"{name} p50 − sql_p50_ms ≤ 15 ms", app, 15, app <= 15))
    if page_size_queries:
        counts = sorted(set(page_size_queries.values()))
        out.append(_target("query count independent of page size (hazard_list_district, page_size 10/50/200)",
                           page_size_queries, "equal", len(counts) == 1))
    if other_scale:
        other = {r["scenario"]: r for r in other_scale.get("results", [])}
        changed = {n: [other[n]["queries"], by[n]["queries"]] for n in LISTS_AND_DETAIL
                   if n in other and n in by and other[n]["queries"] != by[n]["queries"]}
        note = "" if not commit or other_scale.get("commit") == commit else \
            f"另一规模的结果测于提交 {other_scale.get('commit') or '（未记录）'}，本次 {commit}"
        out.append(_target(f"query count independent of data size ({other_scale.get('scale')} vs {scale})",
                           changed or "equal", "equal", not changed, note))
        if scale == "province" and "hazard_list_district" in other and "hazard_list_district" in by:
            ratio = round(p("hazard_list_district") / other["hazard_list_district"]["p50_ms"], 2)
            out.append(_target("same district user (anweiban): p50 at province ≤ 1.2 × at district", ratio, 1.2, ratio <= 1.2))
    else:
        out.append(_target("query count independent of data size", None, "equal", None, "需另一规模的结果文件对比"))
    for name in ("hazard_create", "hazard_transition"):
        if name in by:
            out.append(_target(f"{name} p50 ≤ 30 ms", p(name), 30, p(name) <= 30))
    if "dashboard_district" in by:
        out.append(_target("dashboard_district p50 ≤ 150 ms", p("dashboard_district"), 150, p("dashboard_district") <= 150))
    if "dashboard_province" in by:
        out.append(_target("dashboard_province p50 ≤ 500 ms", p("dashboard_province"), 500, p("dashboard_province") <= 500,
                           official))
    if "ledger_export" in by:
        e = by["ledger_export"]
        out.append(_target("ledger_export ≤ 20 s", e.get("seconds"), 20, e.get("seconds") is not None and e["seconds"] <= 20))
        out.append(_target("ledger_export peak RSS ≤ 300 MB", e.get("peak_mb"), 300,
                           e.get("peak_mb") is not None and e["peak_mb"] <= 300))
    if "throughput" in by:
        t = by["throughput"]
        out.append(_target("throughput errors = 0", t.get("errors"), 0, t.get("errors") == 0))
        out.append(_target("throughput p95 ≤ 250 ms", t.get("p95_ms"), 250, t.get("p95_ms") is not None and t["p95_ms"] <= 250))
        out.append(_target("throughput ≥ 150 requests/s", t.get("requests_per_s"), 150,
                           t.get("requests_per_s") is not None and t["requests_per_s"] >= 150))
    return out


def table(results: list[dict], target_rows: list[dict]) -> str:
    head = f"{'scenario':<22}{'scale':<10}{'rows':>9}{'samples':>8}{'p50_ms':>9}{'p95_ms':>9}{'sql_p50':>9}{'queries':>8}  extra"
    lines = [head, "-" * len(head)]
    for r in results:
        extra = ""
        if r["scenario"] == "ledger_export":
            extra = f"{r.get('seconds')} s, peak {r.get('peak_mb')} MB"
        elif r["scenario"] == "throughput":
            extra = f"{r.get('requests_per_s')} req/s, {r.get('errors')} errors"
        if r.get("load_1m") is not None:
            extra += f"{', ' if extra else ''}load {r['load_1m']}"

        def f(v):
            return "-" if v is None else (f"{v:.1f}" if isinstance(v, float) else str(v))
        lines.append(f"{r['scenario']:<22}{r['scale']:<10}{f(r.get('rows')):>9}{f(r.get('samples')):>8}{f(r.get('p50_ms')):>9}"
                     f"{f(r.get('p95_ms')):>9}{f(r.get('sql_p50_ms')):>9}{f(r.get('queries')):>8}  {extra}")
    lines.append("")
    for t in target_rows:
        mark = {True: "met   ", False: "MISSED", None: "n/a   "}[t["met"]]
        lines.append(f"  [{mark}] {t['target']}: {t['value']}" + (f"  ({t['note']})" if t.get("note") else ""))
    return "\n".join(lines)


def load_other(out_dir: Path, scale: str) -> dict | None:
    other = "district" if scale == "province" else "province"
    path = out_dir / f"results-{other}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return None
