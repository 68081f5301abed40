"""Connections screens: the list, adding one (tested before it is saved), one connection, one run."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from socready.accounts.access import resolve_tenant
from socready.connectors import services, tasks
from socready.connectors.forms import ConnectionForm
from socready.connectors.health import latest_runs
from socready.connectors.models import Connection, Run, RunStatus
from socready.connectors.registry import UnknownConnector, connector, installed
from socready.core.connectors.plugin import CollectionError


@login_required
def connection_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's connections with each one's latest run, and the kinds that can be added."""
    access = resolve_tenant(request, slug)
    latest = {r.connection_id: r for r in latest_runs(access.organization)}
    connections = [(c, latest.get(c.pk)) for c in Connection.objects.filter(organization=access.organization)]
    return render(request, "connectors/connection_list.html", {
        **access.context(), "connections": connections, "kinds": list(installed().items())})


@login_required
def connection_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a connection of ``?kind=``: "Test" only reaches the system; "Save" saves once the test passed."""
    access = resolve_tenant(request, slug, "manage")
    kind = request.GET.get("kind", "")
    try:
        plugin = connector(kind)
    except UnknownConnector:
        raise Http404("no such connector") from None
    form = ConnectionForm(request.POST or None, connector=plugin)
    tested = ""
    if request.method == "POST" and form.is_valid():
        stored = services.split_settings(kind, form.settings_values())
        name = form.cleaned_data["name"]
        try:
            if request.POST.get("action") == "test":
                tested = services.test_settings(access.organization, kind, name, stored)
            else:
                connection = services.create_connection(
                    access.organization, request.user, kind=kind, name=name, stored=stored,
                    schedule_hours=form.cleaned_data["schedule_hours"])
                tasks.schedule(connection)
                messages.success(request, f"Saved {connection.name}; the test reached the system.")
                return redirect("connection-detail", slug=slug, pk=connection.pk)
        except CollectionError as exc:
            form.add_error(None, f"The test failed, nothing was saved: {exc}")
    return render(request, "connectors/connection_new.html", {
        **access.context(), "form": form, "connector": plugin, "kind": kind, "tested": tested})


@login_required
def connection_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change a connection's name, options, schedule or secrets (owners and admins); tested before saving.

    Stored secrets are never put back in the page: their fields stay empty, blank keeps them.
    """
    access = resolve_tenant(request, slug, "manage")
    connection = get_object_or_404(Connection, pk=pk, organization=access.organization)
    try:
        plugin = connector(connection.kind)
    except UnknownConnector:
        raise Http404("this connection's connector is not installed") from None
    initial = {"name": connection.name, "schedule_hours": connection.schedule_hours}
    form = ConnectionForm(request.POST or None, initial=initial, connector=plugin, options=connection.options,
                          stored_secrets=services.stored_secret_names(connection))
    tested = ""
    if request.method == "POST" and form.is_valid():
        entered = services.split_settings(connection.kind, form.settings_values())
        stored = services.edited_settings(connection, entered, form.forgotten())
        name = form.cleaned_data["name"]
        try:
            if request.POST.get("action") == "test":
                tested = services.test_settings(access.organization, connection.kind, name, stored)
            else:
                services.update_connection(connection, name=name, stored=stored,
                                           schedule_hours=form.cleaned_data["schedule_hours"])
                tasks.schedule(connection)
                messages.success(request, f"Saved the changes to {connection.name}; the test reached the system.")
                return redirect("connection-detail", slug=slug, pk=connection.pk)
        except CollectionError as exc:
            form.add_error(None, f"The test failed, nothing was changed: {exc}")
    return render(request, "connectors/connection_edit.html", {
        **access.context(), "form": form, "connector": plugin, "connection": connection, "tested": tested})


@login_required
def connection_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One connection: its settings (secrets only as "stored"), its last runs, the latest run's checks."""
    access = resolve_tenant(request, slug)
    connection = get_object_or_404(Connection, pk=pk, organization=access.organization)
    runs = list(connection.runs.all()[:20])
    finished = next((r for r in runs if r.status == RunStatus.OK), None)
    try:
        label = connector(connection.kind).label
    except UnknownConnector:
        label = f"{connection.kind} (not installed)"
    return render(request, "connectors/connection_detail.html", {
        **access.context(), "connection": connection, "runs": runs, "label": label,
        "checks": finished.checks.all() if finished else [], "finished": finished,
        "has_credentials": bool(bytes(connection.credentials or b""))})


@login_required
def connection_run(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Run now (POST): queued for the worker, or finished at once when tasks run inline."""
    access = resolve_tenant(request, slug, "write")
    connection = get_object_or_404(Connection, pk=pk, organization=access.organization)
    if request.method != "POST":
        return redirect("connection-detail", slug=slug, pk=pk)
    run = tasks.run_now(connection)
    if run.status == RunStatus.FAILED:
        messages.error(request, f"The run failed: {run.error}")
    elif run.status == RunStatus.OK:
        messages.success(request, f"The run finished in {run.duration_text}.")
    else:
        messages.info(request, "The run is queued; the worker collects it shortly.")
    return redirect("connection-detail", slug=slug, pk=pk)


@login_required
def connection_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a connection and its runs (POST; owners and admins). Evidence it stored stays."""
    access = resolve_tenant(request, slug, "manage")
    connection = get_object_or_404(Connection, pk=pk, organization=access.organization)
    if request.method == "POST":
        connection.delete()
        messages.success(request, f"Removed {connection.name}; the evidence its runs stored stays.")
        return redirect("connection-list", slug=slug)
    return render(request, "programs/confirm_delete.html", {**access.context(), "object": connection})


@login_required
def run_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One run: status, duration, error, and every check with each resource's result."""
    access = resolve_tenant(request, slug)
    run = get_object_or_404(Run.objects.select_related("connection", "evidence"), pk=pk,
                            connection__organization=access.organization)
    return render(request, "connectors/run_detail.html", {
        **access.context(), "run": run, "connection": run.connection, "checks": run.checks.all(),
        "verified": services.verify_run(run) if run.evidence_id else None})
