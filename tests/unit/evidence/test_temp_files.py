"""Upload temporary files left by a killed process are removed as soon as that process is gone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from socready.storage.blobs import spool, temp_prefix
from socready.storage.uploads import remove_stale_temp_files
from socready.web.upload_files import NamedTemporaryUploadedFile


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_files_of_dead_processes_go_at_once_others_only_when_old(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    spool_dir, upload_dir = tmp_path / "evidence" / "tmp", tmp_path / "uploads"
    upload_dir.mkdir(parents=True)
    spooled, _ = spool([b"half a population"], 1000)  # this process is alive: its file stays
    assert spooled.parent == spool_dir and spooled.name.startswith(temp_prefix())
    received = NamedTemporaryUploadedFile("changes.csv", "text/csv", 0, None)
    assert Path(received.temporary_file_path()).name.startswith(temp_prefix())
    dead = _dead_pid()
    orphans = [spool_dir / f"socready-{dead}-upload-x", upload_dir / f"socready-{dead}-y.upload.csv"]
    unnamed_new, unnamed_old = upload_dir / "tmpnew.upload", upload_dir / "tmpold.upload"
    for path in [*orphans, unnamed_new, unnamed_old]:
        path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(unnamed_old, (two_hours_ago, two_hours_ago))

    assert remove_stale_temp_files() == 3
    assert not any(path.exists() for path in [*orphans, unnamed_old])
    assert spooled.exists() and unnamed_new.exists() and Path(received.temporary_file_path()).exists()
    received.close()


def test_a_killed_process_not_yet_collected_counts_as_gone() -> None:
    # Until its parent (or, if the parent died too, the system's init) collects it, a killed process is a
    # zombie: signal 0 still reaches it, yet it will never finish its upload.
    from socready.storage.uploads import process_alive

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert process_alive(child.pid)
        child.kill()
        deadline = time.monotonic() + 10
        while Path(f"/proc/{child.pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z":
            assert time.monotonic() < deadline, "the killed child never became a zombie"
            time.sleep(0.05)
        assert not process_alive(child.pid)  # not collected yet: it is still a zombie
    finally:
        child.kill()
        child.wait()
