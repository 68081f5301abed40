"""Coverage and overlap of a scope by the adopted controls."""

from __future__ import annotations

from pathlib import Path

import pytest

from socready.core.catalog.catalog import CATEGORIES, default_catalog
from socready.core.controls.coverage import build_scope, compute_coverage
from socready.core.controls.library import apply_customization, default_library
from socready.core.errors import InputError

LIBRARY = default_library()
CATALOG = default_catalog()
ITGC = tuple(o.id for o in CATALOG.objectives if o.area == "itgc")


def test_security_always_joins_a_soc2_scope_and_categories_are_normalized() -> None:
    scope = build_scope(CATALOG.objectives, soc1=False, soc2=False, soc2_categories=["availability", "pi"])
    assert scope.soc2_categories == ("Security", "Availability", "Processing Integrity")
    assert scope.soc2 and not scope.soc1 and scope.objectives == ()
    assert build_scope(CATALOG.objectives, soc1=False, soc2=True).soc2_categories == ("Security",)


def test_soc1_scope_takes_every_itgc_objective_plus_chosen_services() -> None:
    scope = build_scope(CATALOG.objectives, soc1=True, soc2=False, services=["payroll"])
    assert scope.objectives[:len(ITGC)] == ITGC
    assert scope.objectives[len(ITGC):] == tuple(f"PAYROLL-0{n}" for n in range(1, 6))
    assert not scope.soc2
    explicit = build_scope(CATALOG.objectives, soc1=True, soc2=False, objective_ids=["ITGC-ACCESS"])
    assert explicit.objectives == ("ITGC-ACCESS",)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"services": ["insurance"]}, "services"),
    ({"soc2_categories": ["Integrity"]}, "soc2_categories"),
    ({"objective_ids": ["ITGC-NOPE"]}, "objectives"),
])
def test_unknown_scope_names_are_refused(kwargs: dict[str, list[str]], field: str) -> None:
    with pytest.raises(InputError) as caught:
        build_scope(CATALOG.objectives, soc1=True, soc2=True, **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_whole_library_covers_every_criterion_and_every_objective() -> None:
    scope = build_scope(CATALOG.objectives, soc1=True, soc2=True, soc2_categories=CATEGORIES,
                        objective_ids=[o.id for o in CATALOG.objectives])
    result = compute_coverage(LIBRARY, CATALOG.criteria, CATALOG.objectives, scope)
    assert len(result.criteria) == 61 and len(result.objectives) == 34
    assert result.uncovered_criteria == () and result.uncovered_objectives == ()


def test_security_only_scope_counts_33_criteria_and_ignores_other_categories() -> None:
    scope = build_scope(CATALOG.objectives, soc1=False, soc2=True)
    result = compute_coverage(LIBRARY, CATALOG.criteria, CATALOG.objectives, scope)
    assert [t.id for t in result.criteria] == [c.id for c in CATALOG.criteria if c.category == "Security"]
    assert "PRV-01" not in result.controls  # a privacy-only control serves nothing here
    assert result.shared_controls == () and result.shared_evidence == ()


def test_shared_controls_serve_both_reports_and_their_evidence_is_counted_once() -> None:
    scope = build_scope(CATALOG.objectives, soc1=True, soc2=True, soc2_categories=["Availability"])
    result = compute_coverage(LIBRARY, CATALOG.criteria, CATALOG.objectives, scope)
    assert "IAM-03" in result.shared_controls and "BCP-03" in result.shared_controls
    assert "GOV-01" in result.soc2_controls and "GOV-01" not in result.shared_controls
    for control_id in result.shared_controls:
        control = LIBRARY.control(control_id)
        assert set(control.criteria) & {t.id for t in result.criteria}
        assert set(control.objectives) & set(scope.objectives)
    expected_shared = [e.id for cid in result.shared_controls for e in LIBRARY.control(cid).evidence]
    assert list(result.shared_evidence) == expected_shared
    assert len(set(result.evidence)) == len(result.evidence)
    counts = result.counts()
    assert counts["shared_controls"] == len(result.shared_controls) > 0
    assert counts["evidence_requests_if_separate"] == counts["evidence_requests"] + len(expected_shared)
    assert counts["controls"] == len(set(result.soc1_controls) | set(result.soc2_controls))


def test_adopting_a_subset_reveals_the_uncovered_targets() -> None:
    scope = build_scope(CATALOG.objectives, soc1=True, soc2=True)
    adopted = [c.id for c in LIBRARY if c.family != "Change management and SDLC"]
    result = compute_coverage(LIBRARY, CATALOG.criteria, CATALOG.objectives, scope, adopted=adopted)
    assert "ITGC-CHANGE" in result.uncovered_objectives and "ITGC-SDLC" in result.uncovered_objectives
    assert "CC8.1" not in result.uncovered_criteria  # still met by job-schedule and patching controls
    with pytest.raises(InputError, match="NOPE-01"):
        compute_coverage(LIBRARY, CATALOG.criteria, CATALOG.objectives, scope, adopted=["NOPE-01"])


def test_not_applicable_controls_cover_nothing_and_are_listed_with_reasons(data_dir: Path) -> None:
    custom = apply_customization(LIBRARY, data_dir / "controls" / "custom_ok.yaml")
    scope = build_scope(CATALOG.objectives, soc1=True, soc2=True, services=["payroll"])
    result = compute_coverage(custom, CATALOG.criteria, CATALOG.objectives, scope)
    physical = next(t for t in result.objectives if t.id == "ITGC-PHYSICAL")
    assert "PHY-01" not in physical.controls and "PHY-03" in physical.controls
    assert dict(result.not_applicable)["PHY-02"] == "fully remote company with no office"
    assert "NW-01" in next(t for t in result.objectives if t.id == "PAYROLL-02").controls
