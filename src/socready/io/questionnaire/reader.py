"""Read any supported questionnaire file, give every question an id, and survive bad files in a batch."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from socready.core.errors import InputError
from socready.io.questionnaire.delimited import read_csv
from socready.io.questionnaire.jsonfile import read_json
from socready.io.questionnaire.model import MAX_QUESTIONS, Found, Question, Questionnaire, ReadResult
from socready.io.questionnaire.pdf import read_pdf
from socready.io.questionnaire.textfile import read_plain
from socready.io.questionnaire.word import read_docx
from socready.io.questionnaire.xlsx import read_xlsx

READERS: dict[str, Callable[[Path], list[Question] | Found]] = {
    ".json": read_json,
    ".xlsx": read_xlsx, ".xlsm": read_xlsx,
    ".csv": read_csv, ".tsv": read_csv,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".txt": read_plain, ".md": read_plain, ".markdown": read_plain,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(READERS)
# Uploaded questionnaires are small; anything bigger is refused before a parser spends time on it.
MAX_FILE_BYTES = 50 * 1024 * 1024
# A question is a few sentences; a longer text is a pasted document. Cutting it keeps the scan for asks and
# the matching (each about linear, but with work per mention) within milliseconds per question.
MAX_QUESTION_CHARS = 10_000


def _finish(file: str, result: list[Question] | Found, *, strict: bool) -> Questionnaire:
    """Number questions that have no id, make ids unique and apply the question limit."""
    found = result.questions if isinstance(result, Found) else result
    skipped = result.skipped if isinstance(result, Found) else ()
    warnings: list[str] = []
    if len(found) > MAX_QUESTIONS:
        if strict:
            raise InputError(f"has {len(found)} questions; the limit is {MAX_QUESTIONS}", file=file)
        warnings.append(f"{file}: {len(found)} questions found; only the first {MAX_QUESTIONS} were read")
        found = found[:MAX_QUESTIONS]
    seen: dict[str, int] = {}
    questions: list[Question] = []
    long_texts = 0
    for number, question in enumerate(found, start=1):
        if len(question.text) > MAX_QUESTION_CHARS:
            long_texts += 1
            question = replace(question, text=question.text[:MAX_QUESTION_CHARS])
        ident = question.id or f"Q{number}"
        if ident in seen:
            seen[ident] += 1
            ident = f"{ident}#{seen[ident]}"
        else:
            seen[ident] = 1
        questions.append(replace(question, id=ident))
    if long_texts:
        warnings.append(f"{file}: {long_texts} question(s) longer than {MAX_QUESTION_CHARS:,} characters were cut "
                        "to that length")
    if not questions:
        warnings.append(f"{file}: no questions found")
    return Questionnaire(file=file, questions=tuple(questions), warnings=tuple(warnings), skipped=skipped)


def _check_size(path: Path, file: str) -> None:
    """Refuse a path that is missing, a folder, empty or larger than MAX_FILE_BYTES."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise InputError("no such file", file=file) from exc
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=file) from exc
    if path.is_dir():
        raise InputError("is a folder, not a file", file=file)
    if size == 0:
        raise InputError("the file is empty", file=file)
    if size > MAX_FILE_BYTES:
        raise InputError(f"the file is {size} bytes; the limit is {MAX_FILE_BYTES}", file=file)


def read_questionnaire(path: Path | str, *, strict: bool = False) -> Questionnaire:
    """Read one questionnaire file; raise InputError naming the file and the reason if it cannot be read.

    More than MAX_QUESTIONS questions is an error when ``strict``, otherwise the rest are dropped with a
    warning.
    """
    path = Path(path)
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise InputError(f"unsupported file type '{suffix or '(none)'}' "
                         f"(supported: {', '.join(SUPPORTED_SUFFIXES)})", file=file)
    _check_size(path, file)
    try:
        found = READERS[suffix](path)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise InputError(f"damaged archive: {exc}", file=file) from exc
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=file) from exc
    except Exception as exc:  # noqa: BLE001 - a parser choking on a malformed file must not end a batch
        raise InputError(f"cannot be read as {suffix}: {exc.__class__.__name__}: {exc}", file=file) from exc
    return _finish(file, found, strict=strict)


def iter_questionnaires(paths: Iterable[Path | str]) -> Iterator[ReadResult]:
    """Read several files one after the other; a file that cannot be read is reported, not raised."""
    for path in paths:
        try:
            yield ReadResult(file=str(path), questionnaire=read_questionnaire(path), error=None)
        except InputError as exc:
            yield ReadResult(file=str(path), questionnaire=None, error=str(exc))


def read_many(paths: Iterable[Path | str]) -> list[ReadResult]:
    """Read several files; each result holds the questionnaire or the error that stopped that file."""
    return list(iter_questionnaires(paths))
