"""Navigation entries shown to the signed-in user (only what their roles can reach)."""


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    from anquan.accounts.scope import active_assignments

    assignments = active_assignments(user)
    kinds = {a.scope_kind for a in assignments}
    business = bool(kinds - {"system"})
    items = [("home", "首页", "/")]
    if business:
        items += [
            ("enterprises", "企业档案", "/enterprises/"),
            ("sites", "场所", "/sites/"),
            ("hazards", "隐患排查治理", "/hazards/"),
            ("inspections", "检查任务", "/inspections/"),
        ]
    if any(a.permits("inspection.plan") for a in assignments):
        items.append(("plans", "检查计划", "/inspection-plans/"))
    if any(a.permits("checklist.manage") for a in assignments):
        items.append(("checklists", "检查表", "/checklists/"))
    if any(a.permits("inspection.plan") for a in assignments if a.scope_kind != "enterprise"):
        items.append(("coverage", "排查覆盖", "/coverage/"))
    if any(a.permits("supervision.check") or a.permits("supervision.respond") or a.permits("accountability.record")
           for a in assignments):
        items.append(("supervision", "督查问责", "/supervision/"))
    if any(a.permits("document.issue") for a in assignments):
        items.append(("documents", "公文", "/documents/"))
    if any(a.permits("hazard.verify") or a.permits("hazard.export") for a in assignments if a.scope_kind != "enterprise"):
        items.append(("lookback", "倒查", "/lookback/"))
    if any(a.permits("enterprise.export") or a.permits("hazard.export") for a in assignments):
        items.append(("exports", "我的导出", "/jobs/"))
    items.append(("orgunits", "行政区划", "/org-units/"))
    if any(a.permits("audit.view") for a in assignments):
        items.append(("audit", "审计日志", "/audit/"))
    items.append(("rules", "规则与日历", "/rules/"))
    return {"nav_items": items, "current_assignments": assignments}
