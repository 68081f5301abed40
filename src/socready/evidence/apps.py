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

        from socready.evidence import services_population
        from socready.work.recovery import register_recovery

        register_recovery("socready.evidence.tasks.import_population",
                          lambda args, kwargs: services_population.requeue_abandoned(args[0]),
                          lambda args, kwargs, reason: services_population.fail_abandoned(args[0], reason))
