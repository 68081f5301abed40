from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "socready.evidence"
    label = "evidence"
    verbose_name = "Evidence"

    def ready(self) -> None:
        from socready.evidence.models import EvidenceRevision, ImportState, Population
        from socready.storage.references import register_blob_references

        register_blob_references("evidence", lambda sha: EvidenceRevision.objects.filter(sha256=sha).exists())
        # A failed import keeps its row for the record but no longer needs the file.
        register_blob_references("populations", lambda sha: Population.objects.filter(sha256=sha).exclude(
            state=ImportState.FAILED).exists())
