"""Pages of this area (filled in by the inspections issue)."""
app_name = "coverage"
urlpatterns: list = []
