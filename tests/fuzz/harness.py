"""Run one input through one reader inside the product's sandbox and say how it ended; the run's settings.

The reader runs in io.sandbox's child process (a wall-clock limit and a memory cap), so a hang or a
runaway allocation ends the child, not the test run. Inside the child a small wrapper sorts the ending
(read, refused with the file named, an InputError that does not name the file, a crash with its
traceback) and adds the child's own peak RSS, which is what each run costs the server. A child stopped
for time or memory never reports back; the sandbox's refusal says which.

Every outcome is added to one Tally per test session, which is printed at the end (tests/fuzz/conftest.py).

SOCREADY_FUZZ=long (`make fuzz`) raises the number of generated inputs per reader (SOCREADY_FUZZ_EXAMPLES
sets it exactly), builds the kept corpus at the sizes issue #18 found, draws fresh random inputs instead of
the fixed ones of the short run, and records failures instead of stopping at the first, so the summary
counts them all (the run still fails if there is one).
"""

from __future__ import annotations

import os
import resource
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings

from socready.core.errors import InputError
from socready.io.sandbox import SandboxLimits, run_bounded

_MB = 1024 * 1024
LONG = os.environ.get("SOCREADY_FUZZ") == "long"
EXAMPLES = int(os.environ.get("SOCREADY_FUZZ_EXAMPLES", "0")) or (300 if LONG else 6)

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # The short run draws the same inputs every time, so the normal test suite never flakes on a new one.
    derandomize=not LONG,
    # Shrinking reruns a slow or hung input many times; the failing input is reported as drawn instead.
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                           HealthCheck.function_scoped_fixture],
)
# Far past what any reader needs for a fuzzed input (the long run's largest files take seconds); a run
# that reaches it is a hang. The memory cap is the bound for one run.
FUZZ_LIMITS = SandboxLimits(seconds=float(os.environ.get("SOCREADY_FUZZ_SECONDS", "30")), memory_bytes=1024 * _MB)
MAX_RSS_BYTES = 1024 * _MB

READ, REFUSED, UNNAMED, CRASH, HANG, MEMORY = "read", "refused", "refused without the file", "crash", "hang", "memory"
FAILURES = (UNNAMED, CRASH, HANG, MEMORY)


@dataclass(frozen=True)
class Outcome:
    """How one run ended: its kind, the message or traceback, the child's peak RSS in bytes (0 if unknown)."""

    kind: str
    detail: str
    rss: int
    seconds: float

    @property
    def failed(self) -> bool:
        """A crash, a hang, a run stopped at the memory cap, a refusal that hides the file, or a run over 1 GB."""
        return self.kind in FAILURES or self.rss >= MAX_RSS_BYTES


def _observe(read: Callable[[Any], object], argument: Any, name: str) -> tuple[str, str, int]:
    """In the child: run the reader and sort the ending, with this process's peak RSS."""
    try:
        read(argument)
        kind, detail = READ, ""
    except InputError as exc:
        kind, detail = (REFUSED if not name or name in str(exc) else UNNAMED), str(exc)
    except MemoryError:
        kind, detail = MEMORY, "MemoryError inside the reader"
    except Exception:  # noqa: BLE001 - a crash is what the fuzz suite looks for: keep its traceback
        kind, detail = CRASH, traceback.format_exc(limit=-12)
    return kind, detail, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_input(read: Callable[[Any], object], argument: Any, name: str, label: str,
              limits: SandboxLimits = FUZZ_LIMITS) -> Outcome:
    """Run ``read(argument)`` in the sandbox; ``name`` is the file name a refusal must show ('' for text).

    ``label`` says which reader and input, in the summary of failures.
    """
    started = time.perf_counter()
    try:
        kind, detail, rss = run_bounded(_observe, name or "input", limits, read, argument, name)
    except InputError as exc:
        message = str(exc)
        kind = HANG if "took longer" in message else MEMORY
        detail, rss = message, 0
    except RuntimeError as exc:  # the wrapper could not send its answer back
        kind, detail, rss = CRASH, str(exc), 0
    outcome = Outcome(kind, detail, rss, time.perf_counter() - started)
    TALLY.add(outcome, label)
    return outcome


@dataclass
class Tally:
    """Counts of every outcome in a session, the failures in full, and the largest child's RSS."""

    counts: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, Outcome]] = field(default_factory=list)
    peak_rss: int = 0
    peak_label: str = ""
    slowest: float = 0.0
    slowest_label: str = ""

    def add(self, outcome: Outcome, label: str) -> None:
        """Count one outcome; keep it whole if it failed."""
        self.counts[outcome.kind] += 1
        if outcome.rss > self.peak_rss:
            self.peak_rss, self.peak_label = outcome.rss, label
        if outcome.seconds > self.slowest:
            self.slowest, self.slowest_label = outcome.seconds, label
        if outcome.failed:
            self.failures.append((label, outcome))

    def summary(self) -> list[str]:
        """The lines `make fuzz` prints."""
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        tried = sum(self.counts.values())
        over = sum(1 for _, o in self.failures if o.rss >= MAX_RSS_BYTES)
        lines = [
            f"fuzz: {tried:,} inputs tried over every reader",
            f"  clean refusals (InputError naming the file): {self.counts[REFUSED]:,}",
            f"  accepted reads: {self.counts[READ]:,}",
            f"  refusals not naming the file: {self.counts[UNNAMED]:,}",
            f"  hangs (past the {FUZZ_LIMITS.seconds:g} s limit): {self.counts[HANG]:,}",
            f"  stopped at the {FUZZ_LIMITS.describe_memory()} memory cap: {self.counts[MEMORY]:,}",
            f"  tracebacks (crashes): {self.counts[CRASH]:,}",
            f"  runs over 1 GB RSS: {over:,}",
            f"  peak RSS of one reader child: {self.peak_rss / _MB:,.0f} MB ({self.peak_label[:100]}); "
            f"of any child process, killed ones included: {children / _MB:,.0f} MB",
            f"  slowest run: {self.slowest:.1f} s ({self.slowest_label[:100]})",
        ]
        if self.failures:
            lines.append("  failing generated inputs are kept in $SOCREADY_FUZZ_KEEP (default: the temporary folder's "
                         "socready-fuzz-failures)")
        for label, outcome in self.failures[:20]:
            lines.append(f"  FAILED {label}: {outcome.kind}, {outcome.rss / _MB:.0f} MB: {outcome.detail[-600:]}")
        return lines


TALLY = Tally()


def check(outcome: Outcome, what: str) -> None:
    """Fail on a crash, a hang, a run over 1 GB or a refusal hiding the file; in the long run, only count it."""
    if outcome.failed and not LONG:
        raise AssertionError(f"{what}: {outcome.kind}, {outcome.rss // _MB} MB, {outcome.seconds:.1f} s\n"
                             f"{outcome.detail}")


_NUMBERS = count()


def input_file(folder: Path, suffix: str, data: bytes) -> Path:
    """Write one generated input under a fresh name ending in ``suffix``."""
    path = folder / f"input{next(_NUMBERS)}{suffix}"
    path.write_bytes(data)
    return path
