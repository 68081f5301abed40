"""The connectors installed: every entry point of the group ``socready.connectors``.

socready's own (aws, github, okta) are declared in its pyproject.toml exactly as a third-party package
declares its own, so there is one way in.
"""

from __future__ import annotations

import functools
import logging
from importlib.metadata import entry_points

from socready.core.connectors.plugin import ENTRY_POINT_GROUP, Connector

log = logging.getLogger(__name__)


class UnknownConnector(LookupError):
    """No installed connector has this kind."""


@functools.cache
def installed() -> dict[str, Connector]:
    """Kind to connector instance; an entry point that fails to load is logged and left out."""
    found: dict[str, Connector] = {}
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            connector = entry.load()()
        except Exception:
            log.exception("connector %s (%s) could not be loaded", entry.name, entry.value)
            continue
        if not isinstance(connector, Connector):
            log.error("connector %s (%s) does not provide kind, label, options, checks, test and collect",
                      entry.name, entry.value)
            continue
        found[entry.name] = connector
    return found


def connector(kind: str) -> Connector:
    """The connector of a kind; UnknownConnector names the kinds that are installed."""
    try:
        return installed()[kind]
    except KeyError:
        raise UnknownConnector(f"no connector of kind {kind!r} is installed "
                               f"(installed: {', '.join(installed()) or 'none'})") from None
