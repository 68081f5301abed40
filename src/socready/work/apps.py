from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "socready.work"
    label = "work"
    verbose_name = "Background work"

    def ready(self) -> None:
        from socready.work.recovery import connect_signals

        connect_signals()
