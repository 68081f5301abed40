from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "socready.reports"
    label = "reports"
    verbose_name = "Readiness and exports"
