from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "socready.vendors"
    label = "vendors"
    verbose_name = "Vendors"

    def ready(self) -> None:
        # Imported here because models cannot load before the app registry is ready.
        from socready.snapshot import register_subservice_source
        from socready.storage.references import register_blob_references
        from socready.vendors.models import ReadState, VendorReport
        from socready.vendors.services import subservice_organizations

        register_subservice_source(subservice_organizations)
        # A queued or reading report's file is in the blob store before any evidence names it; a refused one
        # keeps its row as a note but no longer needs the file.
        register_blob_references("vendor reports", lambda sha: VendorReport.objects.filter(sha256=sha).exclude(
            state=ReadState.FAILED).exists())

        from socready.vendors import services_reading
        from socready.work.recovery import register_recovery

        register_recovery("socready.vendors.tasks.read_vendor_report",
                          lambda args, kwargs: services_reading.requeue_abandoned(args[0]),
                          lambda args, kwargs, reason: services_reading.fail_abandoned(args[0], reason))
