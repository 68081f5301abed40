"""Run a reader over a stranger's file in a child process that can be stopped: a wall-clock limit and a memory cap.

The size and count checks of each reader refuse the hostile files we know of. This is the backstop for
the ones we do not: a parser that loops, or one that expands a small file into gigabytes. The child is
forked (so the function and its arguments need no pickling), caps its own memory with
``resource.setrlimit(RLIMIT_DATA)`` (heap and private writable mappings: what a runaway parser grows,
while the address space threads reserve is left alone), runs the function and sends back the result or the
InputError it raised. The parent waits at most ``seconds``; then the child is killed, with everything it
started: the child leads a process group of its own and the whole group is killed. Either way the
caller gets the result or an InputError that names the file and the limit.

Where fork does not exist the function runs in the calling process, bounded only by the reader's own
checks.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar, cast

from socready.core.errors import InputError

P = ParamSpec("P")
T = TypeVar("T")

_MB = 1024 * 1024
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_READ_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class SandboxLimits:
    """How long a child may run (seconds of wall clock) and how much memory it may take (bytes)."""

    seconds: float
    memory_bytes: int

    def describe_memory(self) -> str:
        """The memory cap in words, for a refusal."""
        return f"{self.memory_bytes // _MB:,} MB"


# A questionnaire is read in seconds within a few hundred MB; these leave a wide margin.
QUESTIONNAIRE_SANDBOX = SandboxLimits(seconds=120.0, memory_bytes=1024 * _MB)
# A population of ten million rows is validated in about a minute (bench/bench_population.py).
POPULATION_SANDBOX = SandboxLimits(seconds=1800.0, memory_bytes=3 * 1024 * _MB)
# A vendor's SOC report: its text is read within 120 s (io.socreport.pdftext.ReadLimits), then at most 180 s of
# OCR of scanned pages (io.socreport.ocr.OcrLimits: 60 s a page). The wall clock leaves a minute beyond both, so
# the reader's own limits, which say which one was passed, stop it first. OCR runs tesseract as a grandchild
# with its own 1 GB cap; the cap here is inherited by it and by the text reader's worker processes.
VENDOR_REPORT_SANDBOX = SandboxLimits(seconds=360.0, memory_bytes=2 * 1024 * _MB)
# Profiles and catalog overrides are small YAML files.
YAML_SANDBOX = SandboxLimits(seconds=30.0, memory_bytes=512 * _MB)


class _Outcome:
    """Tags of what the child sends back."""

    OK = "ok"
    INPUT = "input"
    MEMORY = "memory"
    ERROR = "error"


def can_fork() -> bool:
    """Whether this platform can run a reader in a forked child."""
    return hasattr(os, "fork")


# Called every TICK_SECONDS while a child runs (a worker records its heartbeat there); None for nothing.
Tick = Callable[[], None]
TICK_SECONDS = 5.0


def run_bounded(func: Callable[P, T], file: str, limits: SandboxLimits, /,
                *args: P.args, **kwargs: P.kwargs) -> T:
    """Return ``func(*args, **kwargs)`` computed in a child process held to ``limits``.

    An InputError raised by ``func`` is raised again here as it was. Running out of time or memory, or a
    child that dies, becomes an InputError naming ``file`` and the limit. Any other exception is raised as
    a RuntimeError carrying its description (a bug, not bad input).
    """
    return run_bounded_ticking(None, func, file, limits, *args, **kwargs)


def run_bounded_ticking(tick: Tick | None, func: Callable[P, T], file: str, limits: SandboxLimits, /,
                        *args: P.args, **kwargs: P.kwargs) -> T:
    """run_bounded, calling ``tick()`` in this process every TICK_SECONDS while the child works."""
    if not can_fork():
        return func(*args, **kwargs)
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.setpgid(0, 0)
        os.close(read_end)
        _die_with_parent(parent)
        _child(write_end, limits, lambda: func(*args, **kwargs))
    _own_group(pid)
    os.close(write_end)
    try:
        payload = _collect(pid, read_end, limits, file, tick)
    finally:
        os.close(read_end)
    try:
        message: Any = pickle.loads(payload) if payload else None  # noqa: S301 - written by our own child a moment ago
        if message is None or message[0] not in (_Outcome.OK, _Outcome.INPUT):
            _kill_group(pid)  # before the reap, while the child still holds the group's id
    finally:
        _, status = os.waitpid(pid, 0)
    return cast(T, _outcome(message, status, limits, file))


def _own_group(pid: int) -> None:
    """Put the child in a process group of its own, from this side too.

    The child does the same right after the fork; doing it here as well means the group exists before anything
    could need to kill it, whichever of the two runs first. Whatever the child starts (OCR's pdftoppm and
    tesseract) joins that group, so one kill stops them all.
    """
    with contextlib.suppress(OSError):  # the child already did it, or has already exited
        os.setpgid(pid, pid)


def _kill_group(pid: int) -> None:
    """SIGKILL the child's process group (the child and what it started); the caller then reaps the child."""
    with contextlib.suppress(ProcessLookupError):  # the group is empty: all of it has already exited
        os.killpg(pid, signal.SIGKILL)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this child when the process that forked it dies (Linux).

    A killed worker then leaves no reader running on to its time limit.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the child still stops at its time limit
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(70)


def _child(write_end: int, limits: SandboxLimits, call: Callable[[], object]) -> None:
    code = 0
    try:
        try:
            import resource  # POSIX only, like fork itself

            resource.setrlimit(resource.RLIMIT_DATA, (limits.memory_bytes, limits.memory_bytes))
            message: tuple[object, ...] = (_Outcome.OK, call())
        except InputError as exc:
            message = (_Outcome.INPUT, type(exc).__name__, exc.reason, exc.file, exc.entry, exc.field)
        except MemoryError:
            message = (_Outcome.MEMORY,)
        except BaseException as exc:  # noqa: BLE001 - everything is reported to the parent, nothing escapes
            message = (_Outcome.ERROR, f"{type(exc).__name__}: {exc}")
        try:
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps((_Outcome.MEMORY,))
        view = memoryview(data)
        while view:
            written = os.write(write_end, view[:_READ_CHUNK])
            view = view[written:]
    except BaseException:  # noqa: BLE001 - the parent sees a child that died and says so
        code = 70
    finally:
        # os._exit: no atexit handlers, no flushing of buffers or database connections inherited from the parent.
        os._exit(code)


def _collect(pid: int, read_end: int, limits: SandboxLimits, file: str, tick: Tick | None) -> bytes:
    """Read everything the child sends, leaving it to be reaped.

    When the time is up, a tick fails or this process is interrupted, the child's whole process group is
    killed and the child reaped before the error goes on: nobody will read its result.
    """
    try:
        return _read_all(read_end, limits, file, tick)
    except BaseException:
        _kill_group(pid)
        os.waitpid(pid, 0)
        raise


def _read_all(read_end: int, limits: SandboxLimits, file: str, tick: Tick | None) -> bytes:
    deadline = time.monotonic() + limits.seconds
    next_tick = time.monotonic() + TICK_SECONDS
    chunks: list[bytes] = []
    while True:
        if tick is not None and time.monotonic() >= next_tick:
            next_tick = time.monotonic() + TICK_SECONDS
            tick()
        left = deadline - time.monotonic()
        if left <= 0:
            raise InputError(f"reading the file took longer than {limits.seconds:g} seconds, the limit; "
                             "it was stopped", file=file)
        ready, _, _ = select.select([read_end], [], [], min(left, 1.0))
        if not ready:
            continue
        chunk = os.read(read_end, _READ_CHUNK)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _outcome(message: Any, status: int, limits: SandboxLimits, file: str) -> object:
    if message is None:
        signal_number = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        how = f"signal {signal_number}" if signal_number else f"exit status {os.WEXITSTATUS(status)}"
        raise InputError(f"the reader stopped ({how}) before finishing; the file may need more than the "
                         f"memory limit of {limits.describe_memory()}", file=file)
    tag = message[0]
    if tag == _Outcome.OK:
        return message[1]
    if tag == _Outcome.INPUT:
        _, kind, reason, err_file, entry, field = message
        error_type = next((cls for cls in _input_error_types() if cls.__name__ == kind), InputError)
        raise error_type(reason, file=err_file, entry=entry, field=field)
    if tag == _Outcome.MEMORY:
        raise InputError(f"reading the file needs more than {limits.describe_memory()} of memory, the limit; "
                         "it was stopped", file=file)
    raise RuntimeError(f"reading {file} failed: {message[1]}")


def _input_error_types() -> list[type[InputError]]:
    found: list[type[InputError]] = [InputError]
    index = 0
    while index < len(found):
        found.extend(found[index].__subclasses__())
        index += 1
    return found
