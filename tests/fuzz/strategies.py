"""Hypothesis strategies for strangers' files: well-formed ones with hostile content, and damaged ones.

Two kinds of input reach every reader. Structured ones are built the way a real file is (a CSV with a
header and rows, a workbook, a profile) and filled with what a careless or malicious sender writes:
formula strings, NUL bytes, wrong encodings, long runs that make a pattern backtrack, impossible dates.
Mutated ones start from a real seed (the test fixtures, or files built here) and are cut short, have bytes
overwritten or hostile fragments spliced in; for zip documents the fragment goes into one XML part, so
the damage reaches the parser instead of stopping at the zip's checksum.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from functools import cache
from pathlib import Path

from hypothesis import strategies as st
from openpyxl import Workbook

from socready.core.catalog.catalog import default_catalog
from socready.io.sandbox import SandboxLimits, run_bounded
from tests import hostile_files as hostile

DATA = Path(__file__).resolve().parents[1] / "data"
# Mutated inputs stay small: the size of the bombs is the corpus's business (tests/fuzz/corpus.py).
MAX_INPUT_BYTES = 2 * 1024 * 1024

FORMULAS = ["=1+1", "=cmd|' /C calc'!A0", '=HYPERLINK("http://example.invalid","x")', "+1+1", "-2+3", "@SUM(A1)",
            "\t=1", "x;=1+1", "=DDE(\"a\")"]
# Runs that once made a pattern backtrack or a loop go quadratic: negations before a report name,
# blanks, repeated report words, separators.
REDOS_UNITS = ["instead of ", "not ", " ", "SOC ", "SOC 2 ", "type ", "e.g. ", "or ", ", ", "-", "(", "no ", "a",
               "we do not require a ", "payroll ", "\t", ".", "SOC2 Type II "]
NASTY_TEXT = ["\x00", "\ufeff", "\u202e", "\ud7ff", "\uffff", "\r", "\r\n", '"', '""', "\\", "{{", "}}", "&amp;", "%s",
              "SOC 2 Type II", "SOC 1", "ISO 27001", "bridge letter", "2026-02-30", "1e999", "NaN", "\u00e9",
              "\u4e2d\u6587", "\U0001f600", "Ω" * 3]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32"]

BYTE_TOKENS = [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\r",
               b'"', b"\n" * 50, b"PK\x03\x04", b"%PDF-1.7", b"\x1a", b"9" * 400, *(f.encode() for f in FORMULAS)]
XML_FRAGMENTS = [
    b'<row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row>',
    b'<row r="2147483647"><c r="A2147483647"><v>1</v></c></row>',
    b'<row r="0"><c r="A0"><v>1</v></c></row>',
    b'<c r="A1" t="s"><v>999999999</v></c>', b'<c r="A1" t="s"><v>-1</v></c>', b'<c r="A1" t="s"><v>x</v></c>',
    b'<c r="ZZZZZZ1"><v>1</v></c>', b'<c r="1A"><v>1</v></c>', b'<c r="B2" t="n"><v>1e309</v></c>',
    b'<c r="B2" t="d"><v>not a date</v></c>', b'<c r="B2" s="999999"><v>45000</v></c>',
    b'<c r="B2" t="inlineStr"><is><t>=1+1</t></is></c>', b'<c r="B2" t="e"><v>#REF!</v></c>',
    b'<c r="B2" t="b"><v>2</v></c>', b'<c r="B3"><f>HYPERLINK("http://x")</f><v>1</v></c>',
    b'<mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>', b'<dimension ref="A1:XFD1048576"/>',
    b'<dataValidations><dataValidation type="list" sqref="A1:XFD1048576"><formula1>"Yes,No"</formula1>'
    b"</dataValidation></dataValidations>",
    b'<sheet name="x" sheetId="2" r:id="rId99"/>', b'<sheet name="" sheetId="1" state="veryHidden" r:id="rId1"/>',
    b"<si><t>" + b"x" * 100_000 + b"</t></si>", b"<si><r><t>a</t></r><r><t>b</t></r></si>",
    b"<w:p><w:r><w:t>1. Do you hold a current SOC 2 Type II report?</w:t></w:r></w:p>",
    b"<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>",
    b'<w:tc><w:tcPr><w:gridSpan w:val="65535"/></w:tcPr><w:p/></w:tc>', b"<w:tcPr><w:vMerge/></w:tcPr>",
    b"<w:tr/>", b"<w:tbl/>", b'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr></w:p>',
    b'<w:sectPr><w:cols w:num="999999"/></w:sectPr>', b"&#1114112;", b"&undefined;", b"&#0;", b"]]>", b"<![CDATA[",
    b"<a>" * 2_000, b"</w:body>", b'<x:y xmlns:x="urn:x">', b'<Relationship Id="rId1" Type="x" Target="../../../etc"/>',
    b'<Relationship Id="rId1" TargetMode="External" Target="http://example.invalid/"/>',
]
# Entity expansion (a "billion laughs" inside XML) and an external entity, placed where a DTD may stand.
DOCTYPES = [
    b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([99 + n]), (b"&%s;" % bytes([98 + n])) * 10) for n in range(9)) + b"]>",
    b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE r [<!ENTITY % p SYSTEM "http://example.invalid/x.dtd"> %p;]>',
]
PDF_TOKENS = [b"/Kids [3 0 R 3 0 R]", b"/Count 999999999", b"/Parent 3 0 R", b"/Contents [4 0 R 4 0 R 4 0 R]",
              b"[" * 1_000, b"<<" * 1_000, b"/Filter /LZWDecode", b"/Filter /ASCIIHexDecode",
              b"/Filter /RunLengthDecode",
              b"/Filter [/FlateDecode /FlateDecode /FlateDecode]", b"/Length 999999999", b"/Length -1",
              b"/DecodeParms << /Predictor 15 /Columns 99999999 >>", b"xref\n0 999999999\n",
              b"/Encrypt << /Filter /Standard /V 5 /R 6 >>", b"/Type /ObjStm /N 9999999 /First 0", b"stream\n",
              b"endstream", b"(\\", b"9999999999 0 R", b"/Font << /F1 << /Type /Font /Subtype /Type3 >> >>",
              b"BT /F1 1e38 Tf 1e38 0 0 1e38 0 0 Tm (x) Tj ET", b"%%EOF", b"startxref\n-5\n"]
YAML_FRAGMENTS = ["&a ", "*a", "<<: *a", "!!python/object/apply:os.system ['true']", "!!binary AAAA", "? [a, b]",
                  "- " * 200, "{" * 40, "[" * 40, "\t", "description: " + "x" * 25_000, "2026-02-30", ".inf", "~",
                  "0x1F", "1_000", "!!set {a, b}", "%YAML 1.1\n---", "...\n", "---\n", "'", '"\\x00"', "|\n  x",
                  "key: [" + "1, " * 5_000 + "]", "criteria:", "objectives:", "controls:", "changes:"]


def _seed(path: Path) -> bytes:
    return path.read_bytes()


@cache
def questionnaire_seeds() -> dict[str, list[bytes]]:
    """The questionnaire fixtures, by suffix."""
    seeds: dict[str, list[bytes]] = {}
    for path in sorted((DATA / "questionnaires").iterdir()):
        if path.is_file() and path.suffix in (".xlsx", ".docx", ".pdf", ".csv", ".md", ".txt"):
            seeds.setdefault(path.suffix, []).append(_seed(path))
    return seeds


@cache
def report_seeds() -> list[bytes]:
    """The vendor SOC report fixtures (readable, encrypted, truncated, not a report)."""
    return [_seed(p) for p in sorted((DATA / "vendor_reports").glob("*.pdf"))]


@cache
def workbook_seed() -> bytes:
    """A small population workbook: id, date and owner columns."""
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "date", "owner"])
    for n in range(12):
        sheet.append([f"CHG-{n}", dt.date(2026, 1, n + 1), "alice"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_PARQUET_QUERIES = [
    "SELECT 'CHG-' || i AS id, DATE '2026-01-01' + i::INTEGER AS date, 'alice' AS owner FROM range(30) t(i)",
    "SELECT i AS id, (TIMESTAMP '2026-01-01' + INTERVAL (i) HOUR) AS date FROM range(30) t(i)",
    "SELECT CASE WHEN i = 3 THEN NULL ELSE 'X' || (i % 5) END AS id, '2026-02-30' AS date FROM range(20) t(i)",
    "SELECT 'A' || chr(0) || i AS id, DATE '2026-03-01' AS date FROM range(10) t(i)",
    "SELECT {'a': i, 'b': [i, i]} AS id, [DATE '2026-01-01'] AS date FROM range(10) t(i)",
    "SELECT repeat('x', 100000) AS id, NULL::DATE AS date FROM range(3)",
    "SELECT i AS other FROM range(5) t(i)",
]


def _parquet_files() -> list[bytes]:
    import tempfile  # only in the sandbox child that builds the seeds

    import duckdb

    out = []
    with tempfile.TemporaryDirectory() as folder, duckdb.connect(":memory:") as con:
        for number, query in enumerate(_PARQUET_QUERIES):
            path = Path(folder) / f"{number}.parquet"
            con.execute(f"COPY ({query}) TO '{path}' (FORMAT parquet)")
            out.append(path.read_bytes())
    return out


@cache
def parquet_seeds() -> list[bytes]:
    """Parquet populations, good and bad (nulls, NULs, nested values, no id column).

    DuckDB writes them in a sandbox child: started in this process, its threads would be copied into every
    forked reader child in whatever state they were.
    """
    return run_bounded(_parquet_files, "parquet seeds", SandboxLimits(seconds=120.0, memory_bytes=1024**3))


@cache
def yaml_seeds() -> list[str]:
    """Valid profiles, control customizations and catalog overrides, as text."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "profiles").glob("*.yaml"))[:12]]
    texts += [p.read_text(encoding="utf-8") for p in sorted((DATA / "controls").glob("*.yaml"))]
    catalog = default_catalog()
    criterion, objective = catalog.criteria[0], catalog.objectives[0]
    texts.append(f"criteria:\n  - id: {criterion.id}\n    title: Our own title\n    summary: Our summary\n")
    texts.append(f"objectives:\n  - id: {objective.id}\n    title: Our own objective\n")
    return texts


# Byte-level damage ----------------------------------------------------------------------------------------


@st.composite
def damaged(draw: st.DrawFn, seed: bytes, tokens: list[bytes] = BYTE_TOKENS) -> bytes:
    """``seed`` with one to four of: cut short, a byte overwritten, a token spliced in, a slice repeated."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        op = draw(st.sampled_from(["cut", "overwrite", "splice", "repeat", "delete"]))
        if op == "cut":
            del data[at:]
        elif op == "overwrite" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "splice":
            data[at:at] = draw(st.sampled_from(tokens))
        elif op == "repeat":
            piece = bytes(data[at:at + draw(st.integers(1, 64))])
            data[at:at] = piece * draw(st.integers(2, 2_000))
        else:
            del data[at:at + draw(st.integers(1, 256))]
    return bytes(data[:MAX_INPUT_BYTES])


@st.composite
def damaged_zip(draw: st.DrawFn, seed: bytes) -> bytes:
    """A zip document with one XML part damaged: fragments spliced in, a DTD added, or the part dropped."""
    with zipfile.ZipFile(io.BytesIO(seed)) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    chosen = draw(st.sampled_from([name for name, _ in parts]))
    op = draw(st.sampled_from(["splice", "splice", "doctype", "drop", "bytes", "duplicate"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]))) as target:
        for name, data in parts:
            if name == chosen:
                if op == "drop":
                    continue
                data = _damage_part(draw, data, op)
                if op == "duplicate":
                    target.writestr(name + ".copy", data)
            target.writestr(name, data)
    return out.getvalue()


def _damage_part(draw: st.DrawFn, data: bytes, op: str) -> bytes:
    if op == "doctype":
        declaration = re.match(rb"<\?xml[^>]*\?>", data)
        end = declaration.end() if declaration else 0
        return data[:end] + draw(st.sampled_from(DOCTYPES)) + data[end:]
    if op == "bytes":
        return draw(damaged(data))
    # Splice at a tag boundary, so the damage is well-formed often enough to reach the reader's logic.
    boundaries = [m.start() for m in re.finditer(rb"<", data)] or [0]
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.sampled_from(boundaries[:5_000]))
        data = data[:at] + draw(st.sampled_from(XML_FRAGMENTS)) + data[at:]
    return data


# Text that strangers write --------------------------------------------------------------------------------


def redos_run() -> st.SearchStrategy[str]:
    """A unit repeated hundreds or thousands of times, sometimes followed by a report name."""
    return st.builds(lambda unit, count, tail: unit * count + tail, st.sampled_from(REDOS_UNITS),
                     st.integers(50, 4_000), st.sampled_from(["", "SOC 1?", ". SOC 2", "Type II", "!"]))


def hostile_text(max_size: int = 200) -> st.SearchStrategy[str]:
    """Short pieces mixing plain words, formula strings, control characters and report names."""
    words = st.sampled_from(["Do", "you", "have", "a", "SOC", "2", "report", "Type", "II", "not", "we", "require",
                             "payroll", "payments", "encrypt", "data", "at", "rest", "?", ".", ";", ",", "MFA"])
    pieces = st.one_of(words, st.sampled_from(NASTY_TEXT), st.sampled_from(FORMULAS), st.text(max_size=20))
    return st.lists(pieces, max_size=max_size // 4).map(" ".join)


def question_text() -> st.SearchStrategy[str]:
    """A question as the scanner and mapper see it: at most the reader's 10,000 characters."""
    return st.one_of(hostile_text(), redos_run(), st.text(max_size=300)).map(lambda t: t[:10_000])


def description_text() -> st.SearchStrategy[str]:
    """A scoping description: mostly within the 20,000-character limit, sometimes past it."""
    return st.one_of(hostile_text(400), redos_run(), st.text(max_size=500),
                     st.builds(lambda t, n: t * n, hostile_text(60), st.integers(1, 3_000)))


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@st.composite
def population_csv(draw: st.DrawFn) -> bytes:
    """A population CSV: a header (sometimes wrong) and rows of hostile ids, dates and owners."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.sampled_from([["id", "date", "owner"], ["ID", " Date ", "owner"], ["id", "id", "date"],
                                   ["date", "owner"], ["id", "date", "owner", "=1+1"], ["\ufeffid", "date"]]))
    ids = st.one_of(st.builds("CHG-{}".format, st.integers(0, 40)), hostile_text(30), st.sampled_from(FORMULAS),
                    st.just(""), st.text(max_size=10))
    dates = st.one_of(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(str), st.just("2026-02-30"),
                      st.just("31/12/2026"), st.just(""), st.text(max_size=12), st.just("99999-01-01"))
    rows = draw(st.lists(st.tuples(ids, dates, hostile_text(20)), max_size=40))
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines) + draw(st.sampled_from(["", newline, newline * 3]))
    return _encode(text, draw(st.sampled_from(ENCODINGS)))


def population_parquet() -> st.SearchStrategy[bytes]:
    """A parquet population, as written or with its bytes damaged (the seeds are built when first drawn)."""
    seeds = st.deferred(lambda: st.sampled_from(parquet_seeds()))
    return st.one_of(seeds, seeds.flatmap(damaged))


@st.composite
def population_workbook(draw: st.DrawFn) -> bytes:
    """A population workbook of hostile cell values, sometimes with the seed's parts damaged instead."""
    if draw(st.booleans()):
        return draw(damaged_zip(workbook_seed()))
    book = Workbook()
    sheet = book.active
    sheet.append(draw(st.sampled_from([["id", "date"], ["id", "date", "owner"], ["date"], [None, "id", "date"]])))
    cells = st.one_of(st.none(), st.integers(-(2**63), 2**63), st.floats(allow_nan=True), st.sampled_from(FORMULAS),
                      st.dates(dt.date(1900, 1, 1)), st.text(max_size=30).filter(_legal_in_xml))
    for row in draw(st.lists(st.lists(cells, max_size=5), max_size=30)):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _legal_in_xml(text: str) -> bool:
    return not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)


@st.composite
def questionnaire_text(draw: st.DrawFn, suffix: str) -> bytes:
    """A CSV, TSV, text, Markdown or JSON questionnaire: seed damage, or rows of hostile questions."""
    seeds = questionnaire_seeds().get(suffix, [])
    if seeds and draw(st.booleans()):
        return draw(damaged(draw(st.sampled_from(seeds))))
    questions = draw(st.lists(st.one_of(question_text(), redos_run()), min_size=1, max_size=25))
    if suffix in (".csv", ".tsv"):
        sep = "," if suffix == ".csv" else "\t"
        text = f"ID{sep}Question{sep}Answer\n" + "".join(
            f'Q{n}{sep}"{q.replace(chr(34), chr(34) * 2)}"{sep}\n' for n, q in enumerate(questions))
    elif suffix == ".json":
        records = [{"id": f"Q{n}", "question": q} for n, q in enumerate(questions)]
        shape = draw(st.sampled_from([lambda r: {"questions": r}, lambda r: r, lambda r: {"a": {"b": r}}]))
        text = json.dumps(shape(records), ensure_ascii=draw(st.booleans()))
    else:
        bullet = draw(st.sampled_from(["{n}. ", "- ", "Q{n}: ", "# ", ""]))
        text = "\n".join(bullet.format(n=n) + q for n, q in enumerate(questions))
    return _encode(text, draw(st.sampled_from(ENCODINGS)))


@st.composite
def questionnaire_document(draw: st.DrawFn, suffix: str) -> bytes:
    """An xlsx, docx or pdf questionnaire fixture, damaged at the part or the byte level."""
    seed = draw(st.sampled_from(questionnaire_seeds()[suffix]))
    if suffix == ".pdf":
        return draw(damaged(seed, BYTE_TOKENS + PDF_TOKENS))
    return draw(st.one_of(damaged_zip(seed), damaged(seed)))


@st.composite
def report_pdf(draw: st.DrawFn) -> bytes:
    """A vendor report: a fixture damaged, or a one-page PDF whose text is hostile."""
    if draw(st.booleans()):
        return draw(damaged(draw(st.sampled_from(report_seeds())), BYTE_TOKENS + PDF_TOKENS))
    lines = draw(st.lists(st.one_of(hostile_text(80), redos_run().map(lambda t: t[:3_000])), max_size=8))
    body = b"".join(b"BT /F1 10 Tf 40 %d Td (%s) Tj ET\n" % (700 - 20 * n, _pdf_string(line))
                    for n, line in enumerate([*_REPORT_LINES, *lines]))
    return hostile.pdf_bytes(body, filters="")


_REPORT_LINES = ["SOC 2 Type II report of Fuzzed Ltd",
                 "Independent service auditor's report on controls for the period January 1, 2026 to June 30, 2026"]


def _pdf_string(text: str) -> bytes:
    return text.encode("latin-1", errors="replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


@st.composite
def yaml_file(draw: st.DrawFn) -> bytes:
    """A profile, customization or override: a valid seed with lines damaged or hostile fragments inserted."""
    lines = draw(st.sampled_from(yaml_seeds())).splitlines()
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines)))
        op = draw(st.sampled_from(["insert", "append", "delete", "repeat"]))
        if op == "insert":
            lines.insert(at, draw(st.sampled_from(YAML_FRAGMENTS)))
        elif op == "append" and at < len(lines):
            lines[at] += draw(st.one_of(st.sampled_from(YAML_FRAGMENTS), hostile_text(40)))
        elif op == "delete" and at < len(lines):
            del lines[at]
        elif at < len(lines):
            lines[at:at] = [lines[at]] * draw(st.integers(2, 500))
    text = "\n".join(lines) + "\n"
    return _encode(text, draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "latin-1"])))
