"""Reading a 150-page vendor SOC 2 Type II report: wall time of ``read_soc_report`` on two worker processes.

The report is generated here (WeasyPrint): cover, auditor's report, a CUEC table and 140 pages of test tables,
a few rows with exceptions. Target: under 5 seconds on two cores.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from weasyprint import HTML

from socready.io.socreport.pdftext import ReadLimits
from socready.io.socreport.reader import read_soc_report

PAGES = 150
TARGET_SECONDS = 5.0


def _html() -> str:
    head = ["<h1>Quillon Data Services</h1><p>SOC 2 Type 2 report relevant to Security and Availability</p>"
            "<p>For the period April 1, 2024 to March 31, 2025</p>",
            "<h2>Independent Service Auditor's Report</h2><p>Quillon uses Google Cloud for hosting services "
            "(subservice organization); our examination did not include the services provided by the subservice "
            "organization.</p><p>In our opinion, in all material respects, the controls operated effectively "
            "throughout the period April 1, 2024 to March 31, 2025.</p><p>Marlow &amp; Finch LLP</p>"
            "<p>Denver, Colorado</p><p>May 20, 2025</p>",
            "<h2>Complementary User Entity Controls</h2>"
            + "".join(f"<p>{n}. Customers check item {n} of their own configuration every month.</p>"
                      for n in range(1, 9))]
    rows = []
    for n in range(1, (PAGES - len(head)) * 17 + 1):  # about 17 rows fit on a page
        result = (f"Exception noted: 1 of 25 samples for control {n} lacked sign-off." if n % 97 == 0
                  else "No exceptions noted.")
        rows.append(f"<tr><td>CC{n % 9 + 1}.{n % 5 + 1}</td><td>Control activity number {n} is carried out as "
                    f"described, with its record kept.</td><td>Inspected 25 records of activity {n}.</td>"
                    f"<td>{result}</td></tr>")
    table = ("<h2>Tests of Controls</h2><table><tr><th>Control</th><th>Activity</th><th>Test</th><th>Result</th></tr>"
             + "".join(rows) + "</table>")
    style = ("@page { size: A4; margin: 2cm } body { font-family: sans-serif; font-size: 10pt } "
             "section { break-after: page } td { border: 1px solid #888; padding: 4px; vertical-align: top } "
             "table { border-collapse: collapse } tr { break-inside: avoid }")
    body = "".join(f"<section>{part}</section>" for part in head) + table
    return f"<html><head><style>{style}</style></head><body>{body}</body></html>"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report-150.pdf"
        HTML(string=_html()).write_pdf(path)
        start = time.perf_counter()
        facts = read_soc_report(path, ReadLimits(workers=2))
        seconds = time.perf_counter() - start
    print(f"pages: {facts.pages}")
    print(f"read (2 workers): {seconds:.2f} s (target < {TARGET_SECONDS:.0f} s)")
    print(f"facts: {facts.report} {facts.type}, opinion {facts.opinion}, {len(facts.cuecs)} CUECs, "
          f"{len(facts.exceptions)} exceptions")
    return 0 if seconds < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
