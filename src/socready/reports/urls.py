"""Tenant URLs of the reports screens (included under /o/<slug>/)."""

from django.urls import path

from socready.reports import views, views_jobs
from socready.reports.jobs import BACKGROUND_KINDS
from socready.reports.kinds import KINDS

urlpatterns = [
    path("readiness/", views.readiness, name="readiness"),
    path("readiness/tasks/", views.create_task, name="readiness-task-create"),
    path("downloads/", views.downloads, name="downloads"),
    # One route per kind rather than a <str:kind> converter: an unknown kind is simply not a URL.
    *(path(f"downloads/{kind}/prepare/", views_jobs.export_start, {"kind": kind}, name=f"export-start-{kind}")
      for kind in BACKGROUND_KINDS),
    path("downloads/jobs/<int:pk>/", views_jobs.export_job, name="export-job"),
    path("downloads/jobs/<int:pk>/progress/", views_jobs.export_progress, name="export-progress"),
    path("downloads/jobs/<int:pk>/file/", views_jobs.export_file, name="export-file"),
    *(path(f"downloads/{k.kind}/", views.download, {"kind": k.kind}, name=f"download-{k.kind}") for k in KINDS),
]
