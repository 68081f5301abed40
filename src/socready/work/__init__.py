"""Background work that survives its worker: worker heartbeats, and recovery of tasks whose worker died."""

_in_worker = False


def mark_worker() -> None:
    """Record that this process is a task worker: single-threaded work, free to fork a reader's child."""
    global _in_worker  # noqa: PLW0603 - one flag per process, set once at start
    _in_worker = True


def in_worker() -> bool:
    """Whether this process is a task worker (``socready worker``), rather than a web server or a command."""
    return _in_worker
