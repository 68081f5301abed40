from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "socready.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
