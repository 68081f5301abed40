"""Populations and samples: rows to io/core calls and back.

An upload is stored in the blob store first and validated later by a background task (``tasks.py``), so
a large file never holds a web request. Every step that can fail leaves the rows as they were: an import
either records its completeness-and-accuracy record or fails with a message naming file, row and field.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from socready.accounts.models import User
from socready.core.errors import InputError
from socready.core.sampling.conclusions import AttributeResult, Conclusion, ItemResult, conclude
from socready.core.sampling.draw import Frequency, Risk, Sample, parse_frequency, sample_size
from socready.core.window import Window, early_sampling
from socready.evidence.models import EvidenceItem, ImportState, Population, SampleSet, SampleTest
from socready.evidence.sample_records import sample_from_record
from socready.evidence.sampling_policy import policy_for
from socready.io.population import PopulationSpec, scan_population
from socready.io.population_files import FORMATS
from socready.io.population_sample import PopulationSample, extend_population_sample, sample_population
from socready.io.sandbox import SandboxLimits, run_bounded_ticking
from socready.programs.models import Control, Engagement
from socready.storage.blobs import CorruptBlob, LocalBlobStore, StoredBlob, blob_store
from socready.storage.references import release_blob

log = logging.getLogger(__name__)

# Import phases as the page shows them. The scan is one call with no progress of its own, so the bar
# jumps between phases instead of pretending to know how far through the rows it is.
STORED, FETCHING, VALIDATING, DONE = 10, 20, 30, 100
PHASES = {STORED: "File stored; waiting for the import worker", FETCHING: "Reading the stored file",
          VALIDATING: "Validating every row", DONE: "Imported"}
FINISHED = (ImportState.DONE, ImportState.FAILED)
# What the import form accepts (io also reads .txt as CSV, but the form names the three formats it documents).
ACCEPTED_SUFFIXES = tuple(sorted(suffix for suffix in FORMATS if suffix != ".txt"))


def phase_label(population: Population) -> str:
    """What the import is doing now, in words."""
    if population.state == ImportState.FAILED:
        return "Refused"
    return PHASES.get(population.progress, population.get_state_display())


def window_of(engagement: Engagement | None) -> Window | None:
    """The observation window of a Type II engagement with both dates set, else None."""
    if engagement is None or not (engagement.period_start and engagement.period_end):
        return None
    return Window(engagement.period_start, engagement.period_end)


def spec_for(population: Population) -> PopulationSpec:
    """The column choices and limits a population was (or will be) validated with."""
    window = (Window(population.period_start, population.period_end)
              if population.period_start and population.period_end else None)
    return PopulationSpec(population.id_column, population.date_column or None,
                          tuple(population.attribute_columns), window, population.date_format or None,
                          max_bytes=settings.MAX_POPULATION_BYTES)


def import_limits() -> SandboxLimits:
    """The wall-clock limit and memory cap of the child process that reads an uploaded population."""
    return SandboxLimits(seconds=float(settings.IMPORT_SECONDS), memory_bytes=settings.IMPORT_MEMORY_MB * 1024 * 1024)


def store_upload(chunks: Iterable[bytes]) -> StoredBlob:
    """Put an uploaded population in the blob store; UploadRefused says why when it is too large."""
    return blob_store().put(chunks, settings.MAX_POPULATION_BYTES)


def create_population(*, control: Control, engagement: Engagement | None, kind: str, source_name: str,
                      blob: StoredBlob, id_column: str, date_column: str, attribute_columns: list[str],
                      user: User | None, date_format: str = "") -> Population:
    """Record a stored upload as a queued population; the caller enqueues its import."""
    window = window_of(engagement)
    return Population.objects.create(
        organization=control.organization, control=control, engagement=engagement, kind=kind,
        source_name=source_name, sha256=blob.sha256, size=blob.size, id_column=id_column,
        date_column=date_column, date_format=date_format, attribute_columns=attribute_columns,
        period_start=window.start if window else None, period_end=window.end if window else None,
        state=ImportState.QUEUED, progress=STORED, imported_by=user)


def _set_phase(population: Population, state: str, progress: int) -> None:
    # A plain UPDATE: the audit trail gets one event for the outcome, not one per phase.
    Population.objects.filter(pk=population.pk).update(state=state, progress=progress)
    population.state, population.progress = state, progress


@contextmanager
def readable_copy(population: Population) -> Iterator[Path]:
    """A path to the stored file under its original suffix (io picks the format from the name)."""
    store = blob_store()
    if not store.exists(population.sha256):
        raise CorruptBlob(f"the stored file {population.sha256} is missing")
    suffix = Path(population.source_name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="socready-population-") as folder:
        target = Path(folder) / f"population{suffix}"
        if isinstance(store, LocalBlobStore):
            target.symlink_to(store.path(population.sha256))  # no copy of a file that may be gigabytes
        else:
            with store.open(population.sha256) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
        yield target


def _check_same_file(population: Population, sha256: str) -> None:
    if sha256 != population.sha256:
        raise InputError("the stored file no longer matches the SHA-256 recorded at upload",
                         file=population.source_name)


def _claim(population_id: int) -> Population | None:
    """Take the import for this worker, or None when it is finished or another live worker has it.

    One conditional UPDATE: of two workers given the same task, only one gets it, so no import runs twice.
    A running import whose heartbeat went stale lost its worker and may be taken over.
    """
    now = timezone.now()
    free = Q(state=ImportState.QUEUED) | Q(state=ImportState.RUNNING, heartbeat_at__lt=now - stale_after()) | \
        Q(state=ImportState.RUNNING, heartbeat_at=None, created_at__lt=now - stale_after())
    taken = Population.objects.filter(free, pk=population_id).update(
        state=ImportState.RUNNING, progress=FETCHING, heartbeat_at=now, attempts=F("attempts") + 1)
    return Population.objects.get(pk=population_id) if taken else None


def _beat(population_id: int) -> None:
    Population.objects.filter(pk=population_id, state=ImportState.RUNNING).update(heartbeat_at=timezone.now())


def run_import(population_id: int) -> str:
    """Validate a queued population and record the outcome; return the final state."""
    population = _claim(population_id)
    if population is None:
        current = Population.objects.filter(pk=population_id).values_list("state", flat=True).first()
        return str(current or "missing")  # finished, or running under a live worker: never imported twice
    if population.attempts > MAX_ATTEMPTS:
        _finish(population, ImportState.FAILED, error=f"the import stopped {MAX_ATTEMPTS} times without finishing "
                                                      "(its worker was stopped each time); nothing was imported")
        release_blob(population.sha256)
        return str(population.state)
    try:
        with readable_copy(population) as path:
            _set_phase(population, ImportState.RUNNING, VALIDATING)
            # A stranger's file: parsed in a child process held to a time limit and a memory cap, so a
            # hostile workbook is stopped and refused instead of taking the worker (and every tenant's imports).
            # Meanwhile this process writes the heartbeat that tells a live import from an abandoned one.
            scanned = run_bounded_ticking(lambda: _beat(population_id), scan_population, population.source_name,
                                          import_limits(), path, spec_for(population),
                                          source_name=population.source_name)
        _check_same_file(population, scanned.record.sha256)
    except (InputError, CorruptBlob) as exc:
        _finish(population, ImportState.FAILED, error=str(exc))
        # A refused file is never sampled; keeping it would let repeated refusals fill the disk.
        release_blob(population.sha256)
        return str(population.state)
    except Exception:
        log.exception("import of population %s failed", population_id)
        _finish(population, ImportState.FAILED, error="the import stopped on an internal error; "
                                                      "the server log has the details")
        raise
    _finish(population, ImportState.DONE, record=scanned.record.to_dict(), rows=scanned.record.rows,
            months=[[month, count] for month, count in scanned.months])
    return str(population.state)


def _finish(population: Population, state: str, *, error: str = "", record: dict[str, Any] | None = None,
            rows: int | None = None, months: list[list[Any]] | None = None) -> None:
    population.state = state
    population.progress = DONE if state == ImportState.DONE else population.progress
    population.error = error
    population.record = record
    population.rows = rows
    population.months = months or []
    population.finished_at = timezone.now()
    population.save()


def default_frequency(control: Control) -> Frequency:
    """The control's frequency as core knows it; per-event when it is not a recognised name."""
    try:
        return parse_frequency(control.frequency)
    except ValueError:
        return Frequency.PER_EVENT


def size_hint(population: Population, frequency: Frequency, risk: Risk) -> str:
    """The size the organization's policy asks for, with its basis, for the draw form."""
    decision = sample_size(frequency, risk, population.rows or 0, policy_for(population.organization))
    return f"{decision.size} items ({decision.basis})"


def _items(drawn: PopulationSample) -> list[dict[str, Any]]:
    # The attribute columns' values travel with each item: they are what the tester checks the item against.
    return [{"id": c.id, "row": c.row, "date": c.date.isoformat() if c.date else None,
             "attributes": dict(c.attributes)} for c in drawn.rows]


def imported_values(population: Population, item: dict[str, Any]) -> list[tuple[str, Any]] | None:
    """The kept attribute columns of a sampled item as (column, value), or None for an item drawn before
    samples kept them (extending the sample reads them again)."""
    if "attributes" not in item:
        return None if population.attribute_columns else []
    values = item["attributes"]
    return [(column, values.get(column)) for column in population.attribute_columns]


def early_warning(population: Population) -> str:
    """Why a sample of this population would not represent its Type II window yet, or "" when it would.

    The population holds events up to the day it was uploaded, whenever it is sampled.
    """
    if not (population.period_start and population.period_end):
        return ""
    early = early_sampling(Window(population.period_start, population.period_end),
                           timezone.localdate(population.created_at))
    return early.message() if early else ""


def draw(population: Population, *, frequency: Frequency, risk: Risk, seed: int, spread_months: bool,
         attributes: list[str], user: User | None) -> SampleSet:
    """Draw a sample from an imported population and store it; InputError changes nothing."""
    if population.state != ImportState.DONE:
        raise InputError("only an imported population can be sampled", file=population.source_name)
    with readable_copy(population) as path:
        drawn = sample_population(path, spec_for(population), frequency=frequency, risk=risk, seed=seed,
                                  policy=policy_for(population.organization), spread_months=spread_months,
                                  source_name=population.source_name)
    _check_same_file(population, drawn.population.record.sha256)
    return SampleSet.objects.create(population=population, frequency=frequency.value, risk=risk.value, seed=seed,
                                    spread_months=spread_months, items=_items(drawn),
                                    record=drawn.sample.to_dict(), attributes=attributes, drawn_by=user)


def extend(sample_set: SampleSet, extra: int) -> int:
    """Add ``extra`` items after the first selection; return how many were added (fewer when none remain)."""
    population = sample_set.population
    previous = sample_from_record(sample_set.record)
    with readable_copy(population) as path:
        drawn = extend_population_sample(path, spec_for(population), previous, extra,
                                         source_name=population.source_name)
    _check_same_file(population, drawn.population.record.sha256)
    added = drawn.sample.size - previous.size
    sample_set.items = _items(drawn)
    sample_set.record = drawn.sample.to_dict()
    sample_set.save()
    return added


def core_sample(sample_set: SampleSet) -> Sample:
    """The core Sample a stored sample set was drawn as."""
    return sample_from_record(sample_set.record, source=f"sample {sample_set.pk}")


def item_results(sample_set: SampleSet, tests: Iterable[SampleTest]) -> list[ItemResult]:
    """Core item results for the stored tests; a test missing an attribute counts as not yet tested."""
    results = []
    for test in tests:
        if any(name not in test.results for name in sample_set.attributes):
            continue
        ref = f"evidence {test.evidence_id}" if test.evidence_id else ""
        results.append(ItemResult(test.item_id, tuple(
            AttributeResult(name, bool(test.results[name]), test.note, ref) for name in sample_set.attributes)))
    return results


def conclusion_for(sample_set: SampleSet, tests: Iterable[SampleTest]) -> Conclusion:
    """What the recorded tests support: exceptions summary, deviation rate and verdict."""
    return conclude(core_sample(sample_set), sample_set.attributes, item_results(sample_set, tests))


def record_test(sample_set: SampleSet, item_id: str, results: dict[str, bool], note: str,
                evidence_id: int | None, user: User | None) -> SampleTest:
    """Create or update the test of one sampled item."""
    organization_id = sample_set.population.organization_id
    if evidence_id is not None and not EvidenceItem.objects.filter(pk=evidence_id,
                                                                   organization_id=organization_id).exists():
        raise ValueError("the evidence belongs to another organization")
    test, _ = SampleTest.objects.update_or_create(
        sample=sample_set, item_id=item_id,
        defaults={"results": results, "note": note, "evidence_id": evidence_id, "tested_by": user,
                  "tested_at": timezone.now()})
    return test


# The worker writes an import's heartbeat every few seconds (io.sandbox.TICK_SECONDS); one this old means
# the worker died (killed, machine restarted). A long import with a live worker is never judged stuck.
def stale_after() -> dt.timedelta:
    """How old a heartbeat may get before its import counts as abandoned (SOCREADY_IMPORT_STALE_SECONDS)."""
    return dt.timedelta(seconds=settings.IMPORT_STALE_SECONDS)


# An import whose worker dies this many times is failed rather than taken again (it may be what kills it).
MAX_ATTEMPTS = 3


def heartbeat_stale(population: Population, now: dt.datetime | None = None) -> bool:
    """Whether a running import's worker has stopped writing its heartbeat."""
    now = now or timezone.now()
    last = population.heartbeat_at or population.created_at
    return population.state == ImportState.RUNNING and now - last > stale_after()


def can_retry(population: Population, now: dt.datetime | None = None) -> bool:
    """Whether an import looks abandoned: queued with no worker taking it, or running with a stale heartbeat."""
    now = now or timezone.now()
    if population.state == ImportState.RUNNING:
        return heartbeat_stale(population, now)
    return queued_too_long(population, now)


def requeue_abandoned(population_id: int) -> None:
    """Show a running import queued again: its worker died and the task goes back to the queue."""
    Population.objects.filter(pk=population_id, state=ImportState.RUNNING).update(
        state=ImportState.QUEUED, progress=STORED)


def fail_abandoned(population_id: int, reason: str) -> None:
    """Fail an import that did not finish (its task was given up, or ended on an error), saying why."""
    population = Population.objects.filter(pk=population_id).exclude(state__in=FINISHED).first()
    if population is None:
        return
    _finish(population, ImportState.FAILED, error=reason)
    release_blob(population.sha256)


def requeue(population: Population) -> None:
    """Put an abandoned import back in the queue; the caller enqueues its task again."""
    _set_phase(population, ImportState.QUEUED, STORED)


def queued_too_long(population: Population, now: dt.datetime | None = None) -> bool:
    """Whether a queued import has waited long enough that the worker is probably not running."""
    now = now or timezone.now()
    return population.state == ImportState.QUEUED and (now - population.created_at).total_seconds() > 30

