from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "socready.connectors"
    label = "connectors"
    verbose_name = "Connectors"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from socready.connectors.panels import control_checks_panel
        from socready.programs.panels import register_control_panel

        register_control_panel("connectors/control_checks.html", control_checks_panel)
