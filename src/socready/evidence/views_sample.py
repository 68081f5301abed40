"""Sample screens: the items in selection order with the conclusion, extending, attributes, testing items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_safe

from socready.accounts.access import TenantAccess, resolve_tenant, tenant_view
from socready.core.errors import InputError
from socready.core.sampling.conclusions import Conclusion
from socready.evidence import services_population as svc
from socready.evidence.forms_population import AttributesForm, ExtendForm, PassRemainingForm, SampleTestForm
from socready.evidence.models import SampleSet, SampleTest
from socready.evidence.services_sample import RemainingChanged, pass_remaining, remaining_digest, remaining_items
from socready.storage.blobs import CorruptBlob


def _sample(access: TenantAccess, pk: int) -> SampleSet:
    return get_object_or_404(SampleSet.objects.select_related("population__control", "drawn_by"),
                             pk=pk, population__organization=access.organization)


def _rows(sample_set: SampleSet, tests: dict[str, SampleTest]) -> list[dict[str, Any]]:
    rows = []
    population = sample_set.population
    for number, item in enumerate(sample_set.items, start=1):
        test = tests.get(item["id"])
        complete = test is not None and all(name in test.results for name in sample_set.attributes)
        failed = [name for name in sample_set.attributes if test is not None and test.results.get(name) is False]
        rows.append({"number": number, **item, "test": test, "complete": complete, "failed": failed,
                     "values": svc.imported_values(population, item)})
    return rows


def _extend_form(sample_set: SampleSet, conclusion: Conclusion | None) -> ExtendForm:
    if conclusion is not None and conclusion.extend_to and conclusion.extend_to > len(sample_set.items):
        return ExtendForm(asked=conclusion.extend_to - len(sample_set.items))
    return ExtendForm()


def _context(access: TenantAccess, sample_set: SampleSet, **forms: Any) -> dict[str, Any]:
    tests = {t.item_id: t for t in sample_set.tests.select_related("evidence", "tested_by")}
    conclusion, problem = None, ""
    try:
        conclusion = svc.conclusion_for(sample_set, tests.values())
    except InputError as exc:
        problem = str(exc)
    return {
        **access.context(), "sample": sample_set, "population": sample_set.population,
        "rows": _rows(sample_set, tests), "conclusion": conclusion, "problem": problem, "tested": bool(tests),
        "extend_form": forms.get("extend_form") or _extend_form(sample_set, conclusion),
        "untested": sum(1 for item in sample_set.items if item["id"] not in tests),
        "attributes_form": forms.get("attributes_form") or AttributesForm(
            initial={"attributes": "\n".join(sample_set.attributes)}),
        "record": sample_set.record, "rate_percent": conclusion.deviation_rate * 100 if conclusion else 0.0,
    }


@login_required
@tenant_view()
@require_safe
def sample_detail(request: HttpRequest, access: TenantAccess, slug: str, pk: int) -> HttpResponse:
    """A sample's items in selection order, how it was drawn, and the conclusion of its tests."""
    sample_set = _sample(access, pk)
    return render(request, "evidence/sample_detail.html", _context(access, sample_set))


@login_required
def sample_extend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Add items after the first selection, which stays as it was (POST)."""
    access = resolve_tenant(request, slug)
    sample_set = _sample(access, pk)
    if request.method != "POST":
        return redirect("sample-detail", slug=slug, pk=pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            added = svc.extend(sample_set, form.cleaned_data["extra"])
        except (InputError, CorruptBlob) as exc:
            form.add_error(None, str(exc))
        else:
            if added < form.cleaned_data["extra"]:
                messages.warning(request, f"Added {added} items: the population has no more to draw.")
            else:
                messages.success(request, f"Added {added} items after the first {len(sample_set.items) - added}.")
            return redirect("sample-detail", slug=slug, pk=pk)
    return render(request, "evidence/sample_detail.html", _context(access, sample_set, extend_form=form), status=400)


@login_required
def sample_attributes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change the test attributes of a sample, until its first item is tested (POST)."""
    access = resolve_tenant(request, slug)
    sample_set = _sample(access, pk)
    if request.method != "POST":
        return redirect("sample-detail", slug=slug, pk=pk)
    form = AttributesForm(request.POST)
    if sample_set.tests.exists():
        form.add_error(None, "Testing has started: the attributes can no longer change.")
    if form.is_valid():
        sample_set.attributes = form.cleaned_data["attributes"]
        sample_set.save()
        messages.success(request, "Test attributes saved.")
        return redirect("sample-detail", slug=slug, pk=pk)
    return render(request, "evidence/sample_detail.html", _context(access, sample_set, attributes_form=form),
                  status=400)


def _next_untested(sample_set: SampleSet, after: str) -> str | None:
    done = set(sample_set.tests.values_list("item_id", flat=True))
    ids = [item["id"] for item in sample_set.items]
    start = ids.index(after) + 1 if after in ids else 0
    return next((item for item in ids[start:] + ids[:start] if item not in done), None)


@login_required
def sample_test(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Record pass or fail per attribute for one sampled item (``?item=ID``), with a note and evidence."""
    access = resolve_tenant(request, slug)
    sample_set = _sample(access, pk)
    item_id = request.POST.get("item") if request.method == "POST" else request.GET.get("item")
    if not item_id:
        item_id = _next_untested(sample_set, "") or (sample_set.items[0]["id"] if sample_set.items else None)
    item = next((i for i in sample_set.items if i["id"] == item_id), None)
    if item is None:
        raise Http404("no such item in this sample")
    existing = sample_set.tests.filter(item_id=item["id"]).first()
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {"note": existing.note, "evidence": existing.evidence_id, **{
            f"result_{i}": "pass" if existing.results[name] else "fail"
            for i, name in enumerate(sample_set.attributes) if name in existing.results}}
    form = SampleTestForm(request.POST or None, initial=initial, sample_set=sample_set)
    if request.method == "POST" and form.is_valid():
        evidence = form.cleaned_data["evidence"]
        svc.record_test(sample_set, item["id"], form.results(), form.cleaned_data["note"],
                        evidence.pk if evidence else None, access.user)
        messages.success(request, f"Saved the test of {item['id']}.")
        following = _next_untested(sample_set, item["id"])
        if following is not None and request.POST.get("then") == "next":
            return redirect(reverse("sample-test", args=[slug, pk]) + "?" + urlencode({"item": following}))
        return redirect("sample-detail", slug=slug, pk=pk)
    number = next(n for n, i in enumerate(sample_set.items, start=1) if i["id"] == item["id"])
    return render(request, "evidence/sample_test.html", {
        **access.context(), "sample": sample_set, "population": sample_set.population, "item": item,
        "number": number, "form": form, "existing": existing,
        "values": svc.imported_values(sample_set.population, item)},
        status=400 if request.method == "POST" else 200)


@login_required
@tenant_view("write")
@require_http_methods(["GET", "POST"])
def sample_pass_remaining(request: HttpRequest, access: TenantAccess, slug: str, pk: int) -> HttpResponse:
    """Confirm, then record every attribute passed for each item not yet tested.

    GET shows the items and the confirmation form; POST records them only when the box is ticked and
    the items are still the ones shown. Read-only roles get 403 for both.
    """
    sample_set = _sample(access, pk)
    remaining = remaining_items(sample_set)
    digest = remaining_digest(remaining)
    form = PassRemainingForm(request.POST or None, initial={"remaining": digest})
    problem = ""
    if not remaining:
        messages.info(request, "Every item of this sample has a test already.")
        return redirect("sample-detail", slug=slug, pk=pk)
    if request.method == "POST" and form.is_valid():
        try:
            count = pass_remaining(sample_set, form.cleaned_data["remaining"], form.cleaned_data["note"],
                                   access.user)
        except RemainingChanged:
            problem = ("The untested items changed since this page was shown (someone tested one, or the sample "
                       "was extended). Nothing was recorded: check the list again.")
            remaining = remaining_items(SampleSet.objects.get(pk=sample_set.pk))
            form = PassRemainingForm(initial={"remaining": remaining_digest(remaining)})
        else:
            messages.success(request, f"Recorded {count} item{'s' if count != 1 else ''} as passed on every "
                                      "attribute.")
            return redirect("sample-detail", slug=slug, pk=pk)
    return render(request, "evidence/sample_pass_remaining.html", {
        **access.context(), "sample": sample_set, "population": sample_set.population, "form": form,
        "remaining": [{**item, "values": svc.imported_values(sample_set.population, item)} for item in remaining],
        "columns": sample_set.population.attribute_columns, "problem": problem},
        status=400 if request.method == "POST" else 200)
