"""Loading a user's YAML file (a profile, an override, a customization) in the sandbox: a child process held
to a wall-clock limit and a memory cap, so a file built to exhaust the parser stops with an error naming it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar

from socready.io.sandbox import YAML_SANDBOX, run_bounded

P = ParamSpec("P")
T = TypeVar("T")


def load_bounded(files: Sequence[Path | None], func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Return ``func(*args, **kwargs)``, run in the sandbox when ``files`` names any file of the user's.

    Without such a file only the shipped catalogs are read, and forking for them would cost time for nothing.
    """
    named = [str(path) for path in files if path is not None]
    if not named:
        return func(*args, **kwargs)
    return run_bounded(func, ", ".join(named), YAML_SANDBOX, *args, **kwargs)
