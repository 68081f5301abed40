from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "socready.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from socready.audit import recorder

        recorder.connect()
