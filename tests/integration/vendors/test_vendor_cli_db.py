"""The register commands: add, review a report, list coverage, write a bridge letter, roll an engagement forward."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from socready.cli.main import app
from socready.programs.models import Control, Engagement
from socready.vendors.models import RollForward, Vendor, VendorReport
from tests.integration.conftest import Personas

REPORTS = Path(__file__).resolve().parents[2] / "data" / "vendor_reports"


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_register_review_list_bridge_letter_and_roll_forward(personas: Personas, program: dict[str, object],
                                                             tmp_path: Path) -> None:
    result = _run("vendor", "add", "--org", "acme", "--name", "Larkspur", "--subservice", "carve-out")
    assert result.exit_code == 0, result.output
    assert _run("vendor", "add", "--org", "acme", "--name", "Larkspur").exit_code == 2
    assert _run("vendor", "add", "--org", "nope", "--name", "X").exit_code == 2
    bad = _run("vendor", "review", str(REPORTS / "encrypted.pdf"), "--org", "acme", "--vendor", "Larkspur")
    assert bad.exit_code == 2 and "encrypted.pdf" in bad.stderr and not VendorReport.objects.exists()
    result = _run("vendor", "review", str(REPORTS / "larkspur_soc2_type2_qualified.pdf"), "--org", "acme",
                  "--vendor", "Larkspur", "--conclusion", "follow_up")
    assert result.exit_code == 0, result.output
    assert VendorReport.objects.get().status == "reviewed"
    assert Control.objects.filter(family="Vendor CUECs").count() == 3
    listed = json.loads(_run("vendor", "list", "--org", "acme", "--json").stdout)
    assert listed[0]["name"] == "Larkspur" and listed[0]["reports"] == 1
    soc2: Engagement = program["soc2"]  # type: ignore[assignment]
    out = tmp_path / "letter.docx"
    result = _run("vendor", "bridge-letter", "--org", "acme", "--engagement", str(soc2.pk), "--through",
                  "2026-08-31", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    assert _run("vendor", "bridge-letter", "--org", "acme", "--engagement", str(soc2.pk), "--through",
                "2026-05-31", "-o", str(out)).exit_code == 2
    assert _run("vendor", "roll-forward", "--org", "acme", "--engagement", str(soc2.pk)).exit_code == 0
    assert RollForward.objects.get().source_id == soc2.pk
    assert _run("vendor", "roll-forward", "--org", "acme", "--engagement", str(soc2.pk)).exit_code == 2
    assert Vendor.objects.count() == 1
