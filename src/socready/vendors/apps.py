from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "socready.vendors"
    label = "vendors"
    verbose_name = "Vendors"

    def ready(self) -> None:
        # Imported here because models cannot load before the app registry is ready.
        from socready.snapshot import register_subservice_source
        from socready.vendors.services import subservice_organizations

        register_subservice_source(subservice_organizations)
