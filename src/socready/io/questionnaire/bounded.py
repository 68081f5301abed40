"""Read questionnaires from strangers in a child process held to a time limit and a memory cap.

The readers refuse every hostile file we know of by its sizes and counts; the child process (see
io/sandbox) is the backstop for the ones we do not: whatever it meets, a read ends within
QUESTIONNAIRE_SANDBOX's seconds with the questions or with an error naming the file and the limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from socready.core.errors import InputError
from socready.io.questionnaire.model import Questionnaire, ReadResult
from socready.io.questionnaire.reader import read_questionnaire
from socready.io.sandbox import QUESTIONNAIRE_SANDBOX, SandboxLimits, run_bounded


def read_bounded(path: Path | str, *, strict: bool = False,
                 limits: SandboxLimits = QUESTIONNAIRE_SANDBOX) -> Questionnaire:
    """read_questionnaire in a child process; running out of time or memory is an InputError."""
    return run_bounded(read_questionnaire, str(path), limits, path, strict=strict)


def iter_bounded(paths: Iterable[Path | str], limits: SandboxLimits = QUESTIONNAIRE_SANDBOX) -> Iterator[ReadResult]:
    """Read several files, each in its own child; a file that cannot be read is reported, not raised."""
    for path in paths:
        try:
            yield ReadResult(file=str(path), questionnaire=read_bounded(path, limits=limits), error=None)
        except InputError as exc:
            yield ReadResult(file=str(path), questionnaire=None, error=str(exc))
