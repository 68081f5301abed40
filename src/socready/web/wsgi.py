"""WSGI entry point for production servers."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from socready.core.catalog.catalog import default_catalog
from socready.core.controls.library import default_library

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socready.web.settings")
application = get_wsgi_application()


def warm_up() -> None:
    """Import every view and read the reference catalogs now, in the server process, before it forks.

    Django imports the URLconf (and with it every view and reader) on a process's first request, and the
    catalogs are read on first use: each web worker would pay about a second of CPU on its first page.
    Done once before forking, the workers share it. Nothing here opens a database connection.
    """
    # The properties import the URL modules and build the table every reverse() reads.
    get_resolver().reverse_dict  # noqa: B018
    default_catalog()
    default_library()
