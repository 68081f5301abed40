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
    """The dashboard's connector section: one query when the organization has no connection, three otherwise."""
    newest = Run.objects.filter(connection=OuterRef("pk")).order_by("-created_at", "-id").values("pk")[:1]
    newest_ok = (Run.objects.filter(connection=OuterRef("pk"), status=RunStatus.OK)
                 .order_by("-created_at", "-id").values("pk")[:1])
    rows = list(Connection.objects.filter(organization=org)
                .annotate(latest=Subquery(newest), latest_ok=Subquery(newest_ok)).values_list("latest", "latest_ok"))
    if not rows:
        return Health(0, (), ())
    failed = tuple(Run.objects.filter(pk__in=[latest for latest, _ in rows if latest], status=RunStatus.FAILED)
                   .select_related("connection").order_by("connection__name"))
    failing = tuple(CheckResult.objects.filter(run__in=[ok for _, ok in rows if ok]).exclude(status="pass")
                    .select_related("run__connection").order_by("run__connection__name", "id"))
    return Health(len(rows), failed, failing)
