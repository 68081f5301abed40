from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "socready.reports"
    label = "reports"
    verbose_name = "Readiness and exports"

    def ready(self) -> None:
        from socready.reports.models import ExportJob
        from socready.storage.references import register_blob_references

        register_blob_references("exports", lambda sha: ExportJob.objects.filter(sha256=sha).exists())

        from socready.reports import jobs
        from socready.work.recovery import register_recovery

        register_recovery("socready.reports.tasks.make_export",
                          lambda args, kwargs: jobs.requeue_abandoned(args[0]),
                          lambda args, kwargs, reason: jobs.fail_abandoned(args[0], reason))
