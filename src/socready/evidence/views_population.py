"""Population screens: the list with the import form, one population's page, its progress, drawing a sample."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from socready.accounts.access import TenantAccess, resolve_tenant, tenant_view
from socready.audit.version import program_version
from socready.core.errors import InputError
from socready.core.sampling.draw import Frequency, Risk
from socready.evidence import services_population as svc
from socready.evidence.forms_population import PopulationImportForm, SampleForm, new_seed
from socready.evidence.models import ImportState, Population
from socready.evidence.tasks import import_population
from socready.storage.blobs import CorruptBlob, UploadRefused


def _population(access: TenantAccess, pk: int) -> Population:
    return get_object_or_404(Population.objects.select_related("control", "engagement", "imported_by"),
                             pk=pk, organization=access.organization)


@login_required
def population_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's populations; writers upload a new one, which is validated in the background."""
    access = resolve_tenant(request, slug)
    form = PopulationImportForm(request.POST or None, request.FILES or None, organization=access.organization)
    if request.method == "POST" and form.is_valid():
        population = _start_import(access, form)
        if population is not None:
            return redirect("population-detail", slug=slug, pk=population.pk)
    populations = (Population.objects.filter(organization=access.organization)
                   .select_related("control", "engagement", "imported_by"))
    return render(request, "evidence/population_list.html", {
        **access.context(), "populations": populations, "form": form,
        "version": program_version(access.organization.pk)})


def _start_import(access: TenantAccess, form: PopulationImportForm) -> Population | None:
    data = form.cleaned_data
    upload = data["file"]
    try:
        blob = svc.store_upload(upload.chunks())
    except UploadRefused as exc:
        form.add_error("file", f"{upload.name}: {exc}.")
        return None
    population = svc.create_population(
        control=data["control"], engagement=data["engagement"], kind=data["kind"], source_name=upload.name,
        blob=blob, id_column=data["id_column"], date_column=data["date_column"],
        attribute_columns=data["attribute_columns"], user=access.user, date_format=data["date_format"])
    try:
        import_population.enqueue(population.pk)
    except Exception as exc:
        # The row exists and the file is stored; say plainly that validation never started.
        population.state, population.error = ImportState.FAILED, f"the import could not be queued: {exc}"
        population.save()
        raise
    return population


def _detail_context(access: TenantAccess, population: Population, form: SampleForm | None = None) -> dict[str, Any]:
    frequency = svc.default_frequency(population.control)
    if form is None:
        form = SampleForm(has_dates=bool(population.date_column), initial={
            "frequency": frequency.value, "risk": Risk.MODERATE.value, "seed": new_seed(),
            "attributes": "\n".join(population.control.type2_attributes)})
    return {
        **access.context(), "population": population, "form": form, "phase": svc.phase_label(population),
        "finished": population.state in svc.FINISHED, "stalled": svc.can_retry(population),
        "samples": population.samples.select_related("drawn_by"), "default_frequency": frequency.value,
        "size_hint": svc.size_hint(population, frequency, Risk.MODERATE) if population.rows else "",
        "early_warning": svc.early_warning(population) if population.state == ImportState.DONE else "",
    }


@login_required
@tenant_view()
@require_safe
def population_detail(request: HttpRequest, access: TenantAccess, slug: str, pk: int) -> HttpResponse:
    """One population: its import progress, then its completeness-and-accuracy record and its samples."""
    population = _population(access, pk)
    return render(request, "evidence/population_detail.html", _detail_context(access, population))


@login_required
@tenant_view()
@require_safe
def population_progress(request: HttpRequest, access: TenantAccess, slug: str, pk: int) -> HttpResponse:
    """The status block the population page polls while the import is queued or running."""
    population = _population(access, pk)
    response = render(request, "evidence/population_status.html", _detail_context(access, population))
    if population.state in svc.FINISHED and request.headers.get("HX-Request"):
        # The finished page has more on it than the status block (the record, the sample form): reload it.
        response["HX-Refresh"] = "true"
    return response


@login_required
def population_sample(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Draw a sample from an imported population (POST); the form lives on the population page."""
    access = resolve_tenant(request, slug)
    population = _population(access, pk)
    if request.method != "POST":
        return redirect("population-detail", slug=slug, pk=pk)
    if population.state != ImportState.DONE:
        messages.error(request, "Only an imported population can be sampled.")
        return redirect("population-detail", slug=slug, pk=pk)
    form = SampleForm(request.POST, has_dates=bool(population.date_column))
    if form.is_valid():
        data = form.cleaned_data
        try:
            sample_set = svc.draw(population, frequency=Frequency(data["frequency"]), risk=Risk(data["risk"]),
                                  seed=data["seed"], spread_months=bool(data["spread_months"]),
                                  attributes=data["attributes"], user=access.user)
        except (InputError, CorruptBlob) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Drew {len(sample_set.items)} items with seed {sample_set.seed}.")
            return redirect("sample-detail", slug=slug, pk=sample_set.pk)
    return render(request, "evidence/population_detail.html", _detail_context(access, population, form), status=400)


@login_required
def population_retry(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Queue an abandoned import again (POST): its worker died or never came."""
    access = resolve_tenant(request, slug)
    population = _population(access, pk)
    if request.method != "POST":
        return redirect("population-detail", slug=slug, pk=pk)
    if not svc.can_retry(population):
        messages.warning(request, "This import is not stuck; nothing was changed.")
        return redirect("population-detail", slug=slug, pk=pk)
    svc.requeue(population)
    import_population.enqueue(population.pk)
    messages.success(request, "The import is queued again.")
    return redirect("population-detail", slug=slug, pk=pk)
