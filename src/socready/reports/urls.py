"""Tenant URLs of the reports screens (included under /o/<slug>/)."""

from django.urls import path

from socready.reports import views
from socready.reports.kinds import KINDS

urlpatterns = [
    path("readiness/", views.readiness, name="readiness"),
    path("readiness/tasks/", views.create_task, name="readiness-task-create"),
    path("downloads/", views.downloads, name="downloads"),
    # One route per kind rather than a <str:kind> converter: an unknown kind is simply not a URL.
    *(path(f"downloads/{k.kind}/", views.download, {"kind": k.kind}, name=f"download-{k.kind}") for k in KINDS),
]
