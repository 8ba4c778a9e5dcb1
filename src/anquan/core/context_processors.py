"""Navigation entries shown to the signed-in user (only what their roles can reach)."""


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    from anquan.accounts.scope import active_assignments

    assignments = active_assignments(user)
    kinds = {a.scope_kind for a in assignments}
    business = bool(kinds - {"system"})
    items = [("home", "工作台", "/")]
    registers = any(a.permits("hazard.export") or a.permits("hazard.decide_extension") for a in assignments
                    if a.scope_kind != "enterprise")
    if business:
        items += [
            ("enterprises", "企业档案", "/enterprises/"),
            ("sites", "场所", "/sites/"),
            ("hazards", "隐患清单" if registers else "隐患排查治理", "/hazards/"),
            ("inspections", "检查任务", "/inspections/"),
        ]
    if registers:
        items += [  # registers of what waits on someone (hazards/registers.py)
            ("listings", "挂牌督办台账", "/hazards/listings/"),
            ("extensions", "延期审批", "/hazards/extensions/?status=pending"),
            ("explanations", "逾期说明与提请研究", "/hazards/explanations/"),
        ]
    if business:  # 生产安全事故 (anquan.accidents): every business role sees its scope's accidents
        items += [("accidents", "事故报告与调查", "/accidents/"), ("accident_stats", "事故统计", "/accidents/statistics/")]
    if any(a.permits("inspection.plan") for a in assignments):
        items.append(("plans", "检查计划", "/inspection-plans/"))
    if any(a.permits("checklist.manage") for a in assignments):
        items.append(("checklists", "检查表", "/checklists/"))
    if any(a.permits("checklist.manage") for a in assignments if a.scope_kind in ("system", "territory")):
        items.append(("criteria", "重大隐患判定标准", "/hazards/criteria/"))
    if any(a.permits("inspection.plan") for a in assignments if a.scope_kind != "enterprise"):
        items.append(("coverage", "排查覆盖", "/coverage/"))
    if any(a.permits("supervision.check") or a.permits("supervision.respond") or a.permits("accountability.record")
           for a in assignments):
        items.append(("supervision", "督查问责", "/supervision/"))
    if any(a.permits(x) for a in assignments if a.scope_kind in ("department", "enterprise")
           for x in ("case.open", "case.approve", "case.legal_review", "case.record_statement")):  # 行政执法 (anquan.enforcement)
        items.append(("cases", "行政执法", "/enforcement/cases/"))
    if any(a.permits("document.issue") for a in assignments):
        items.append(("documents", "公文", "/documents/"))
    if any(a.permits("signoff.review") or a.permits("signoff.sign") for a in assignments):
        items.append(("signoffs", "公文签发", "/documents/signoffs/"))
    if any(a.permits("hazard.verify") or a.permits("hazard.export") for a in assignments if a.scope_kind != "enterprise"):
        items.append(("lookback", "倒查", "/lookback/"))
    if any(a.permits("enterprise.export") or a.permits("hazard.export") for a in assignments):
        items.append(("exports", "我的导出", "/jobs/"))
    items.append(("orgunits", "行政区划", "/org-units/"))
    if any(a.permits("audit.view") for a in assignments):
        items.append(("audit", "审计日志", "/audit/"))
    items.append(("rules", "规则与日历", "/rules/"))
    if any(a.permits("accounts.manage") for a in assignments):
        items.append(("console", "系统管理", "/admin-console/"))
    return {"nav_items": items, "nav_menu": grouped(items), "current_assignments": assignments}


#: Entries shown under one menu heading (a group of one entry stays a plain link); the rest stand alone.
NAV_GROUPS = {
    "enterprises": "企业与场所", "sites": "企业与场所",
    "hazards": "隐患排查治理", "listings": "隐患排查治理", "extensions": "隐患排查治理", "explanations": "隐患排查治理",
    "inspections": "检查", "plans": "检查", "checklists": "检查", "criteria": "检查", "coverage": "检查",
    "exports": "更多", "orgunits": "更多", "audit": "更多", "rules": "更多",
    "documents": "公文", "signoffs": "公文",
    "accidents": "事故", "accident_stats": "事故",
}


def grouped(items):
    """The navigation as the bar shows it: stand-alone links and menus, in the order of first appearance."""
    menu, menus = [], {}
    for key, label, url in items:
        group = NAV_GROUPS.get(key)
        if group is None:
            menu.append({"key": key, "label": label, "url": url, "children": []})
            continue
        if group not in menus:
            menus[group] = {"key": f"group-{key}", "label": group, "url": "", "children": []}
            menu.append(menus[group])
        menus[group]["children"].append({"key": key, "label": label, "url": url})
    for entry in menu:
        if len(entry["children"]) == 1:
            entry.update(entry["children"][0], children=[])
        entry["keys"] = [entry["key"]] + [c["key"] for c in entry["children"]]
    return menu
