"""socready: SOC 1 / SOC 2 readiness, from scoping to the auditor's package."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("socready")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
