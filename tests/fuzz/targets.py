"""Every reader of a stranger's file, as the fuzz suite calls it: a name, the file kinds it takes, a call.

A target's call does what the product does with an upload of that kind, end to end on the io/core side:
a questionnaire is read and then scanned for asks and matched to criteria; a population is validated as
the import worker validates it; a profile is read and classified. Each call returns a small summary (it
crosses a pipe from the sandbox child) or raises the InputError the product would show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from socready.core.catalog.catalog import default_catalog, load_criteria, load_objectives
from socready.core.controls.library import apply_customization, default_library, load_family
from socready.core.questionnaires.asks import detect_asks, scan_questions
from socready.core.questionnaires.mapping import default_mapper, map_question
from socready.core.scoping.inference import classify
from socready.core.scoping.profile_reader import load_profile, profile_from_dict
from socready.io.population import PopulationSpec, scan_population
from socready.io.questionnaire import Question, read_questionnaire
from socready.io.socreport.pdftext import ReadLimits
from socready.io.socreport.reader import read_soc_report

# The scanner and mapper see every question; the mapper is the slower of the two, so a handful suffices to
# reach it with whatever text the reader let through (long, odd or binary-looking).
_MAPPED_QUESTIONS = 5
# One process: a fuzzed report is a few pages, and a pool inside the sandbox child only adds start-up time.
_REPORT_LIMITS = ReadLimits(workers=1)
_TODAY = dt.date(2026, 6, 1)


@dataclass(frozen=True)
class Target:
    """A reader as the fuzz suite drives it: ``read(path)`` for the file kinds in ``suffixes``."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], object]


def questionnaire(path: Path) -> object:
    """Read a questionnaire, then scan it for asks and map its first questions, as an upload is handled."""
    read = read_questionnaire(path)
    asks = scan_questions(read.questions, source=path.name)
    mapped = [map_question(q.text, question_id=q.id) for q in read.questions[:_MAPPED_QUESTIONS]]
    return len(read.questions), len(asks), len(mapped)


def population(path: Path) -> object:
    """Validate a population with an id and a date column and draw candidates, as the import worker does."""
    scanned = scan_population(path, PopulationSpec("id", "date"), seed=7, candidates_wanted=25,
                              source_name=path.name)
    return scanned.record.rows


def population_semicolons(path: Path) -> object:
    """A population read with a semicolon delimiter, a day-first date format and an attribute column."""
    spec = PopulationSpec("id", "date", attribute_columns=("owner",), date_format="%d/%m/%Y", delimiter=";")
    return scan_population(path, spec, source_name=path.name).record.rows


def soc_report(path: Path) -> object:
    """Read a vendor's SOC report to its facts."""
    facts = read_soc_report(path, _REPORT_LIMITS)
    return facts.report, facts.type


def profile(path: Path) -> object:
    """Read a scoping profile and classify its free-text description."""
    loaded = load_profile(path, today=_TODAY)
    return loaded.name, len(classify(loaded.description or "").facts)


def criteria_override(path: Path) -> object:
    """Lay a criteria override over the shipped Trust Services Criteria."""
    return len(load_criteria(overrides=[path]))


def objectives_override(path: Path) -> object:
    """Lay an objectives override over the shipped SOC 1 objective templates."""
    return len(load_objectives(overrides=[path]))


def controls_customization(path: Path) -> object:
    """Lay an organization's control customization over the shipped library."""
    return len(apply_customization(default_library(), path).controls)


def control_family(path: Path) -> object:
    """Read a file as one family of the control library."""
    catalog = default_catalog()
    return len(load_family(path, [c.id for c in catalog.criteria], [o.id for o in catalog.objectives])[1])


QUESTIONNAIRE = Target("questionnaire", (".csv", ".tsv", ".xlsx", ".xlsm", ".docx", ".pdf", ".txt", ".md", ".json"),
                       questionnaire)
POPULATION = Target("population", (".csv", ".txt", ".xlsx", ".parquet"), population)
POPULATION_SEMICOLONS = Target("population (; and day-first dates)", (".csv",), population_semicolons)
SOC_REPORT = Target("vendor SOC report", (".pdf",), soc_report)
PROFILE = Target("scoping profile", (".yaml",), profile)
CRITERIA_OVERRIDE = Target("criteria override", (".yaml",), criteria_override)
OBJECTIVES_OVERRIDE = Target("objectives override", (".yaml",), objectives_override)
CONTROLS_CUSTOMIZATION = Target("controls customization", (".yaml",), controls_customization)
CONTROL_FAMILY = Target("control family", (".yaml",), control_family)

FILE_TARGETS = (QUESTIONNAIRE, POPULATION, POPULATION_SEMICOLONS, SOC_REPORT, PROFILE, CRITERIA_OVERRIDE,
                OBJECTIVES_OVERRIDE, CONTROLS_CUSTOMIZATION, CONTROL_FAMILY)
YAML_TARGETS = (PROFILE, CRITERIA_OVERRIDE, OBJECTIVES_OVERRIDE, CONTROLS_CUSTOMIZATION, CONTROL_FAMILY)


def targets_for(path: Path) -> tuple[Target, ...]:
    """Every file target that takes a file named like ``path``."""
    return tuple(t for t in FILE_TARGETS if path.suffix.lower() in t.suffixes)


def scan_text(text: str) -> object:
    """Text a stranger wrote, through the ask scanner and the mapper as one question."""
    question = Question(id="Q1", text=text, location="row 2")
    return len(detect_asks(question)), len(map_question(text, question_id="Q1").criteria)


def describe(text: str) -> object:
    """A free-text scoping description, through the profile checks (as the web form sends it) and inference."""
    loaded = profile_from_dict({"name": "Fuzzed", "description": text}, source="description", today=_TODAY)
    return len(classify(loaded.description or "").facts)


def warm_up() -> None:
    """Build the caches every child would otherwise build again (the mapper's index, the shipped catalogs)."""
    default_mapper()
    default_library()
    default_catalog()
