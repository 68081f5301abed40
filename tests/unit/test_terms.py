"""The models' choices are core's domain words: the same codes, the same labels, none missing."""

from __future__ import annotations

import pytest
from django.db import models

from socready.core import terms
from socready.evidence.models import EvidencePurpose, RequestStatus
from socready.programs.models import ControlStatus, Report, ReportType, TaskStatus


@pytest.mark.parametrize(("choices", "term"), [
    (Report, terms.Report), (ReportType, terms.ReportType), (ControlStatus, terms.ControlStatus),
    (TaskStatus, terms.TaskStatus), (RequestStatus, terms.RequestStatus), (EvidencePurpose, terms.EvidencePurpose),
])
def test_model_choices_are_the_core_terms(choices: type[models.TextChoices], term: type[terms.Term]) -> None:
    assert choices.choices == [(member.value, member.label) for member in term]
    assert all(choices(member.value) == member for member in term)


def test_a_term_reads_its_code_or_its_label_and_names_the_codes_otherwise() -> None:
    assert terms.ReportType.parse("Type II") is terms.ReportType.TYPE2
    assert terms.ReportType.parse("type1") is terms.ReportType.TYPE1
    with pytest.raises(ValueError, match="type1, type2"):
        terms.ReportType.parse("Type III")


def test_evidence_purpose_defaults_by_kind_and_a_covered_period_means_operating() -> None:
    assert terms.default_evidence_purpose("note") is terms.EvidencePurpose.DESIGN
    assert terms.default_evidence_purpose("link") is terms.EvidencePurpose.DESIGN
    assert terms.default_evidence_purpose("file") is terms.EvidencePurpose.OPERATING
    assert terms.default_evidence_purpose("result") is terms.EvidencePurpose.OPERATING
    assert terms.default_evidence_purpose("link", covers_period=True) is terms.EvidencePurpose.OPERATING


def test_a_code_shared_by_two_words_keeps_each_words_own_label() -> None:
    # "operating" is both a control status and a purpose of evidence; only the evidence purpose is explained.
    assert terms.ControlStatus.OPERATING.label == "Operating"
    assert terms.EvidencePurpose.OPERATING.label == "Operating (the control working in the period)"
