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
            ("inspections", "检查记录", "/inspections/"),
        ]
    items.append(("orgunits", "行政区划", "/org-units/"))
    if any(a.permits("audit.view") for a in assignments):
        items.append(("audit", "审计日志", "/audit/"))
    return {"nav_items": items, "current_assignments": assignments}
