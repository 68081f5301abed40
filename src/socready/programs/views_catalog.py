"""Catalog screens: the Trust Services Criteria with search and a category filter."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from socready.core.catalog.catalog import CATEGORIES, default_catalog


def _matches(text: str, query: str) -> bool:
    return all(word in text for word in query.lower().split())


@login_required
def criteria(request: HttpRequest) -> HttpResponse:
    """List the criteria; htmx requests get only the table so filtering does not reload the page."""
    catalog = default_catalog()
    category = request.GET.get("category", "")
    query = request.GET.get("q", "").strip()
    rows = [
        c for c in catalog.criteria
        if (not category or c.category == category)
        and (not query or _matches(f"{c.id} {c.title} {c.summary} {c.series_title}".lower(), query))
    ]
    context = {
        "criteria": rows,
        "categories": CATEGORIES,
        "category": category,
        "query": query,
        "total": len(catalog.criteria),
        "version": catalog.versions["tsc-2017"],
    }
    template = "socready/criteria_table.html" if request.headers.get("HX-Request") else "socready/criteria.html"
    return render(request, template, context)
