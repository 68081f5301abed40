"""The organization's sampling policy: stored overrides of the default sizes, read back as a core policy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.utils import timezone

from socready.accounts.models import Organization
from socready.core.sampling.draw import DEFAULT_POLICY, EventBand, Frequency, Risk, RiskSizes, SamplingPolicy
from socready.evidence.models import SamplingSettings
from socready.evidence.sample_records import policy_from_dict

RISKS = (Risk.LOW, Risk.MODERATE, Risk.HIGH)
MAX_SIZE = 1000


def policy_for(org: Organization) -> SamplingPolicy:
    """The policy samples of this organization are sized with: its own if saved, else the defaults."""
    row = SamplingSettings.objects.filter(organization=org).only("policy").first()
    return policy_from_dict(row.policy) if row and row.policy else DEFAULT_POLICY


def save_policy(org: Organization, policy: SamplingPolicy | None) -> None:
    """Store a policy for the organization; None goes back to the defaults."""
    with transaction.atomic():
        if policy is None:
            SamplingSettings.objects.filter(organization=org).delete()
            return
        SamplingSettings.objects.update_or_create(organization=org, defaults={
            "policy": policy.to_dict(), "updated_at": timezone.now()})


def _size(label: str) -> forms.IntegerField:
    return forms.IntegerField(min_value=1, max_value=MAX_SIZE, label=label,
                              widget=forms.NumberInput(attrs={"class": "size"}))


class PolicyForm(forms.Form):
    """One size per frequency and risk, the census limit, the per-event bands and the tolerable rate."""

    census_up_to = forms.IntegerField(min_value=0, max_value=MAX_SIZE, label="Test every item of populations up to")
    tolerable_rate = forms.DecimalField(min_value=0, max_value=50, decimal_places=2,
                                        label="Tolerable deviation rate (%)")

    def __init__(self, *args: Any, policy: SamplingPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.periodic_rows: list[tuple[str, list[str]]] = []
        for frequency, sizes in policy.periodic:
            names = []
            for risk in RISKS:
                name = f"size_{frequency.value}_{risk.value}"
                self.fields[name] = _size(f"{frequency.value}, {risk.value} risk")
                self.initial.setdefault(name, sizes.for_risk(risk))
                names.append(name)
            self.periodic_rows.append((frequency.value, names))
        self.band_rows: list[tuple[str, list[str]]] = []
        for index, band in enumerate(policy.event_bands):
            names = []
            for risk in RISKS:
                name = f"band_{index}_{risk.value}"
                self.fields[name] = _size(f"events band {index + 1}, {risk.value} risk")
                self.initial.setdefault(name, band.sizes.for_risk(risk))
                names.append(name)
            label = f"up to {band.up_to} events" if band.up_to is not None else "more events"
            self.band_rows.append((label, names))
        self.initial.setdefault("census_up_to", policy.census_up_to)
        self.initial.setdefault("tolerable_rate", round(policy.tolerable_rate * 100, 2))

    @property
    def periodic_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Per frequency, its three size fields (for the template's table)."""
        return [(label, [self[name] for name in names]) for label, names in self.periodic_rows]

    @property
    def event_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Per band of per-event population sizes, its three size fields."""
        return [(label, [self[name] for name in names]) for label, names in self.band_rows]

    def to_policy(self) -> SamplingPolicy:
        data = self.cleaned_data

        def sizes(prefix: str) -> RiskSizes:
            return RiskSizes(*(int(data[f"{prefix}_{risk.value}"]) for risk in RISKS))

        periodic = tuple((Frequency(f), sizes(f"size_{f}")) for f, _ in self.periodic_rows)
        bands = tuple(EventBand(band.up_to, sizes(f"band_{i}")) for i, band in enumerate(self.policy.event_bands))
        return SamplingPolicy(periodic=periodic, census_up_to=int(data["census_up_to"]), event_bands=bands,
                              tolerable_rate=float(data["tolerable_rate"]) / 100,
                              one_deviation_sizes=self.policy.one_deviation_sizes)
