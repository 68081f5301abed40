from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "socready.evidence"
    label = "evidence"
    verbose_name = "Evidence"
