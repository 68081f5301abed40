from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "socready.reports"
    label = "reports"
    verbose_name = "Readiness and exports"

    def ready(self) -> None:
        from socready.reports.models import ExportJob
        from socready.storage.references import register_blob_references

        register_blob_references("exports", lambda sha: ExportJob.objects.filter(sha256=sha).exists())
