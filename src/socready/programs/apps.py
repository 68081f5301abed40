from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "socready.programs"
    label = "programs"
    verbose_name = "Programs"
