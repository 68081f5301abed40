"""What pages show of connectors: the latest run of each connection, failing checks, failed runs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from socready.accounts.models import Organization
from socready.connectors.models import CheckResult, Connection, Run, RunStatus


@dataclass(frozen=True)
class Health:
    """For the dashboard: connections, failed latest runs, and failing checks of the latest finished runs."""

    connections: int
    failed_runs: tuple[Run, ...]
    failing_checks: tuple[CheckResult, ...]


def latest_runs(org: Organization, status: str | None = None) -> list[Run]:
    """The newest run of each connection (the newest finished one when ``status`` is given)."""
    runs = Run.objects.filter(connection=OuterRef("pk"))
    if status:
        runs = runs.filter(status=status)
    ids = (Connection.objects.filter(organization=org)
           .annotate(latest=Subquery(runs.order_by("-created_at", "-id").values("pk")[:1]))
           .values_list("latest", flat=True))
    return list(Run.objects.filter(pk__in=[i for i in ids if i]).select_related("connection")
                .order_by("connection__name"))


def latest_checks(org: Organization) -> list[CheckResult]:
    """Every check of each connection's newest finished run."""
    runs = latest_runs(org, RunStatus.OK)
    return list(CheckResult.objects.filter(run__in=runs).select_related("run__connection")
                .order_by("run__connection__name", "id"))


def connector_health(org: Organization) -> Health:
    """The dashboard's connector section."""
    failed = tuple(r for r in latest_runs(org) if r.status == RunStatus.FAILED)
    failing = tuple(c for c in latest_checks(org) if c.status != "pass")
    return Health(Connection.objects.filter(organization=org).count(), failed, failing)
