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

        from socready.connectors import services, tasks
        from socready.work.recovery import register_recovery

        register_recovery("socready.connectors.tasks.collect_run",
                          lambda args, kwargs: services.requeue_abandoned(args[0]),
                          lambda args, kwargs, reason: services.fail_abandoned(args[0], reason))
        # A scheduled collection makes its run inside the task: taken again, it makes a new one.
        register_recovery("socready.connectors.tasks.scheduled_collection",
                          lambda args, kwargs: services.fail_scheduled_runs(
                              args[0], "the background worker stopped during this run; it is being run again"),
                          lambda args, kwargs, reason: tasks.give_up_scheduled(args[0], reason))
