"""Ranking criteria and controls for a question."""

from __future__ import annotations

from pathlib import Path

import pytest

from socready.core.catalog.catalog import default_catalog
from socready.core.errors import CatalogError
from socready.core.questionnaires.mapping import (
    QuestionMapper,
    abbreviation_table,
    default_mapper,
    expand_abbreviations,
    map_question,
    tokenize,
)
from socready.core.questionnaires.vocabulary import default_vocabulary, load_vocabulary


@pytest.mark.parametrize(("text", "criterion"), [
    ("Is MFA enforced for every administrator login?", "CC6.1"),
    ("Are user entitlements recertified by managers each quarter?", "CC6.3"),
    ("Do you run a restore drill to prove the backups work?", "A1.3"),
    ("How are pull requests approved before deployment?", "CC8.1"),
    ("Can a person ask you for a copy of the personal information you keep on them?", "P5.1"),
    ("Is a whistleblower hotline available to staff?", "CC1.1"),
])
def test_a_clear_question_ranks_its_criterion_in_the_top_three(text, criterion):
    assert criterion in map_question(text).criterion_ids[:3]


def test_criteria_rank_without_a_control_library():
    mapper = QuestionMapper(default_catalog(), default_vocabulary(), ())
    mapping = mapper.map("Is data in transit protected with TLS?")
    assert mapping.controls == ()
    assert "CC6.7" in mapping.criterion_ids[:3]


def test_scores_are_ranked_best_first_and_limited():
    mapping = map_question("Do you keep offsite backups and a disaster recovery site?", limit=4)
    scores = [r.score for r in mapping.criteria]
    assert scores == sorted(scores, reverse=True)
    assert 1 <= len(scores) <= 4


def test_controls_that_match_map_to_the_ranked_criteria():
    mapper = default_mapper()
    if not mapper.controls:
        pytest.skip("the control library is not installed")
    mapping = mapper.map("Are access rights reviewed every quarter?")
    assert mapping.controls
    mapped = {c.id: c for c in mapper.controls}
    assert set(mapped[mapping.controls[0].id].criteria) & set(mapping.criterion_ids)


def test_a_question_with_no_topic_words_maps_to_nothing():
    assert map_question("Please describe what you do.").criteria == ()


def test_the_default_mapper_is_built_once():
    assert default_mapper() is default_mapper()


def test_tokenize_stems_and_drops_filler():
    assert tokenize("Please describe how backups are encrypted") == ["backup", "encrypt"]


def test_vocabulary_with_an_unknown_criterion_names_the_file_and_entry(tmp_path: Path):
    path = tmp_path / "vocabulary.yaml"
    path.write_text("vocabulary: x\nversion: '1'\nprovenance: test\ncriteria:\n  CC6.1: [mfa]\n  CC9.9: [x]\n",
                    encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_vocabulary(path, known_criteria={c.id for c in default_catalog().criteria})
    assert str(path) in str(caught.value)
    assert "CC9.9" in str(caught.value)


def test_vocabulary_term_list_must_not_be_empty(tmp_path: Path):
    path = tmp_path / "vocabulary.yaml"
    path.write_text("vocabulary: x\nversion: '1'\nprovenance: test\ncriteria:\n  CC6.1: []\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="entry CC6.1, field 'terms'"):
        load_vocabulary(path)


def test_the_shipped_vocabulary_covers_every_criterion():
    ids = {c.id for c in default_catalog().criteria}
    assert set(load_vocabulary(known_criteria=ids).terms) == ids


@pytest.mark.parametrize(("entry", "expected"), [
    ("  two words: second factor authentication\n", "one lower-case word"),
    ("  MFA: multi factor authentication\n", "one lower-case word"),
    ("  mfa: mfa token\n", "not including itself"),
    ("  mfa: authentication\n", "two or more words"),
    ("  mfa: [multi, factor]\n", "two or more words"),
])
def test_a_bad_short_form_names_the_file_and_entry(tmp_path: Path, entry: str, expected: str):
    path = tmp_path / "vocabulary.yaml"
    path.write_text("vocabulary: x\nversion: '1'\nprovenance: test\ncriteria:\n  CC6.1: [mfa]\n"
                    f"abbreviations:\n{entry}", encoding="utf-8")
    with pytest.raises(CatalogError, match=expected) as caught:
        load_vocabulary(path)
    assert str(path) in str(caught.value) and "abbreviations" in str(caught.value)


def test_short_forms_expand_to_their_words_and_leave_other_tokens_alone():
    table = abbreviation_table(default_vocabulary())
    assert expand_abbreviations(tokenize("Enforce MFA on the VPN"), table) == tokenize(
        "enforce multi factor authentication on the virtual private network")
    # "ids" is also the plural of "id": it is not in the list, so "user IDs" stays as it is.
    assert expand_abbreviations(tokenize("unique user IDs"), table) == tokenize("unique user IDs")
