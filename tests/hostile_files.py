"""Hostile files, built small: what a careless or malicious stranger could send to every reader.

Each builder writes one file into a folder and returns its path. The tests use them one by one and
tests/fuzz/corpus.py builds all of them (and variations, at the sizes issue #18 found) as the kept corpus.
Every file stays a few MB at most on disk; the danger is in what it expands to or how long a careless
parser would take.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from openpyxl import Workbook

from tests.xlsx_parts import SHEET, rewrite_part

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                  b'2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                  b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                  b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                  b'officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def docx_with_body(path: Path, body_parts: Iterable[bytes]) -> Path:
    """A minimal .docx whose document body is the concatenation of ``body_parts`` (streamed into the zip)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'.encode())
            for part in body_parts:
                out.write(part)
            out.write(b"</w:body></w:document>")
    return path


def docx_many_paragraphs(folder: Path, count: int = 250_000) -> Path:
    """A .docx of ``count`` short numbered paragraphs: a few MB zipped, a huge tree in python-docx."""
    chunks = (b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % n for n in range(start, min(start + 10_000, count)))
              for start in range(0, count, 10_000))
    return docx_with_body(folder / "many_paragraphs.docx", chunks)


def docx_many_cells(folder: Path, rows: int = 15_000, columns: int = 10) -> Path:
    """A .docx with one table of rows x columns empty cells."""
    def row(number: int) -> bytes:
        cells = b"".join(b"<w:tc><w:p><w:r><w:t>%d.%d</w:t></w:r></w:p></w:tc>" % (number, c) for c in range(columns))
        return b"<w:tr>" + cells + b"</w:tr>"

    # Numbered cells: they compress like a real table, so the size checks let the file through to the count.
    return docx_with_body(folder / "many_cells.docx", [b"<w:tbl>", *(row(n) for n in range(rows)), b"</w:tbl>"])


def docx_bomb(folder: Path, megabytes: int = 80) -> Path:
    """A .docx whose document part unzips to ``megabytes`` of blanks inside one paragraph."""
    chunk = b" " * (1024 * 1024)
    return docx_with_body(folder / "bomb.docx", [b"<w:p><w:r><w:t>", *([chunk] * megabytes), b"</w:t></w:r></w:p>"])


def pdf_bytes(stream: bytes, *, filters: str = "/FlateDecode", pages: int = 1) -> bytes:
    """A PDF of ``pages`` pages sharing one content stream ``stream`` (encoded with ``filters``; none if empty)."""
    filter_entry = f" /Filter [{filters}]" if filters else ""
    contents = 3 + pages
    kids = " ".join(f"{3 + n} 0 R" for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        *[f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {contents} 0 R ".encode()
          + b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"] * pages,
        f"<< /Length {len(stream)}{filter_entry} >>\nstream\n".encode() + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf_with_stream(path: Path, stream: bytes, *, filters: str = "/FlateDecode") -> Path:
    """A one-page PDF file whose content stream holds ``stream`` (already encoded with ``filters``)."""
    path.write_bytes(pdf_bytes(stream, filters=filters))
    return path


def _deflate_zeros(megabytes: int) -> bytes:
    packer = zlib.compressobj(9)
    chunk = b"\0" * (1024 * 1024)
    return b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()


def pdf_bomb(folder: Path, megabytes: int = 200) -> Path:
    """A PDF whose one flate stream inflates to ``megabytes`` of zeros (about 1/1000 of that on disk)."""
    return pdf_with_stream(folder / "bomb.pdf", _deflate_zeros(megabytes))


def pdf_pages_of_content(folder: Path, pages: int = 15, megabytes: int = 19) -> Path:
    """A PDF of ``pages`` pages, each drawing the same content stream of ``megabytes`` of blanks.

    Each page passes a per-page limit; together they hold more than a reader should keep decoded at once.
    """
    packer = zlib.compressobj(9)
    stream = b"".join(packer.compress(b" " * (1024 * 1024)) for _ in range(megabytes)) + packer.flush()
    path = folder / "pages_of_content.pdf"
    path.write_bytes(pdf_bytes(stream, pages=pages))
    return path


def pdf_double_bomb(folder: Path, megabytes: int = 200) -> Path:
    """The same stream deflated twice (two FlateDecode filters): a few hundred bytes on disk."""
    return pdf_with_stream(folder / "double_bomb.pdf", zlib.compress(_deflate_zeros(megabytes), 9),
                           filters="/FlateDecode /FlateDecode")


def workbook(path: Path, rows: int = 5) -> Path:
    """An ordinary small workbook: an id column and a date column."""
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "date"])
    for n in range(rows):
        sheet.append([f"CHG-{n}", f"2026-01-{n % 28 + 1:02d}"])
    book.save(path)
    return path


def _rewrite(path: Path, part: str, new: bytes | Iterable[bytes]) -> Path:
    """Replace one part of a zip file; ``new`` may be chunks, so a part of hundreds of MB is never held whole."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            if info.filename != part:
                target.writestr(info, data)
                continue
            with target.open(part, "w", force_zip64=True) as out:
                for chunk in [new] if isinstance(new, bytes) else new:
                    out.write(chunk)
    return path


def xlsx_styles_bomb(folder: Path, formats: int = 250_000) -> Path:
    """A workbook whose styles part declares ``formats`` cell formats (Excel allows about 64,000).

    Nine million formats make the 500 MB styles part that once took 8.4 GB to open.
    """
    path = workbook(folder / "styles_bomb.xlsx")

    def styles() -> Iterator[bytes]:
        yield (b'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/'
               b'spreadsheetml/2006/main"><cellXfs count="%d">' % formats)
        # Numbered so the part compresses like real XML and reaches the count rather than the ratio check.
        for start in range(0, formats, 10_000):
            yield b"".join(b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0"/>' % n
                           for n in range(start, min(start + 10_000, formats)))
        yield b"</cellXfs></styleSheet>"

    return _rewrite(path, "xl/styles.xml", styles())


def xlsx_shared_strings_bomb(folder: Path, strings: int = 200_000) -> Path:
    """A workbook whose shared strings part holds ``strings`` distinct short strings."""
    path = workbook(folder / "strings_bomb.xlsx")
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            if info.filename != "[Content_Types].xml":
                target.writestr(info, data)
                continue
            target.writestr(info, data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                               b'"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                                               b'sharedStrings+xml"/></Types>'))
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                      b'spreadsheetml/2006/main">')
            for start in range(0, strings, 10_000):
                out.write(b"".join(b"<si><t>s%d</t></si>" % n for n in range(start, min(start + 10_000, strings))))
            out.write(b"</sst>")
    return path


def xlsx_without_sheets(folder: Path) -> Path:
    """A workbook whose list of sheets is empty."""
    path = workbook(folder / "no_sheet.xlsx")
    with zipfile.ZipFile(path) as source:
        book = source.read("xl/workbook.xml")
    return _rewrite(path, "xl/workbook.xml", re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", book, flags=re.S))


def xlsx_number_that_is_not(folder: Path) -> Path:
    """A population workbook whose third row holds a number cell with a byte-order mark inside its value.

    openpyxl casts the value while iterating rows, well after the workbook opened; fuzzing found its
    ValueError escaping the import as a traceback.
    """
    path = workbook(folder / "bad_number.xlsx")
    return rewrite_part(path, SHEET, lambda xml: xml.replace(b"</row></sheetData>", b'</row><row r="99"><c r="A99" '
                                                             b't="n"><v>46\xef\xbb\xbf023</v></c></row></sheetData>'))


def xlsx_sheet_cut_short(folder: Path) -> Path:
    """A population workbook whose sheet XML breaks off after its first rows (the zip itself is sound).

    The workbook opens; the parse error comes only while the rows are read (found by fuzzing, as above).
    """
    path = workbook(folder / "sheet_cut_short.xlsx", rows=50)
    return rewrite_part(path, SHEET, lambda xml: xml[: len(xml) // 2] + b"<row r=\"bad\"><c <<<")


def csv_long_header(folder: Path, columns: int = 120_000) -> Path:
    """A CSV whose header names ``columns`` distinct short columns (under 1 MB): once minutes to check."""
    names = ",".join(f"c{n}" for n in range(columns))
    path = folder / "long_header.csv"
    path.write_text(names + "\n1\n", encoding="utf-8")
    return path


def csv_repeated_names(folder: Path, columns: int = 1_500) -> Path:
    """A CSV of ``columns`` distinct names, then the first one again at the end."""
    path = folder / "repeated_header.csv"
    path.write_text(",".join([f"c{n}" for n in range(columns)] + ["c0"]) + "\n" + "1\n", encoding="utf-8")
    return path


def csv_late_nul(folder: Path, rows: int = 20_000) -> Path:
    """A population CSV whose only NUL byte sits far past the first 64 KB, inside an id."""
    path = folder / "late_nul.csv"
    body = b"".join(b"CHG-%d,2026-01-05\n" % n for n in range(rows))
    path.write_bytes(b"id,date\n" + body + b"CHG-\x00bad,2026-01-06\n")
    return path


def csv_redos(folder: Path, rows: int = 20) -> Path:
    """A questionnaire CSV whose questions repeat a negation phrase thousands of times before a report name."""
    path = folder / "redos.csv"
    question = "Do you have a SOC 2 report " + "instead of " * 4_000 + ". SOC 1?"
    path.write_text("ID,Question\n" + "".join(f"Q{n},{question}\n" for n in range(rows)), encoding="utf-8")
    return path


def yaml_deep(folder: Path, depth: int = 100) -> Path:
    """A profile whose description is a list nested ``depth`` levels deep."""
    path = folder / "deep.yaml"
    path.write_text("name: x\ndescription: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    return path


def yaml_laughs(folder: Path) -> Path:
    """A profile built of aliases of aliases: a few hundred bytes standing for billions of items."""
    lines = ["name: x", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 13)]
    path = folder / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def yaml_many_values(folder: Path, values: int = 1_600_000) -> Path:
    """A profile of one flow list of ``values`` ones, just under the 5 MB file limit.

    Fuzzing found such a file (a line repeated) loading into 740 MB; the full 5 MB took 700 MB and more.
    """
    path = folder / "many_values.yaml"
    path.write_text("name: x\nkey: [" + "1, " * values + "]\n", encoding="utf-8")
    return path
