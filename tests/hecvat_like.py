"""Build a workbook with the traits of a current HECVAT, written as raw XML so nothing is lost on the way.

What it holds: a vendor-response sheet whose question cells are formulas with cached values, answers
chosen from an x14 drop-down that points at a hidden list sheet, a comments column, guidance formulas,
a conditional format and a defined name; a scoring sheet of about 700 x 340 cells; a sheet that declares
1,048,576 rows; a change log naming old report standards; and an analyst sheet copying vendor answers.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
X14 = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac"')

QUESTIONS = [
    ("DOCU-01", "Have you undergone a SSAE 18 / SOC 2 audit?",
     "Provide the date of the report and whether it is a Type 1 or Type 2; a SOC 3 is also accepted."),
    ("DOCU-02", "Do you have a documented information security policy approved by management?", ""),
    ("IAM-01", "Do you enforce multi-factor authentication for all administrative access?", ""),
    ("IAM-02", "Are user access rights reviewed at least quarterly?", ""),
    ("DATA-01", "Is institutional data encrypted at rest?", ""),
    ("VULN-01", "Do you perform third-party penetration tests at least annually?",
     "Provide the executive summary of the latest test."),
    ("BCP-01", "Do you test your disaster recovery plan at least once a year?", ""),
    ("CHNG-01", "Are production changes reviewed and approved before deployment?", ""),
]
ANSWERED = {"DOCU-02": ("Yes", "We also hold SOC 1 and SOC 3 reports.")}


def _cell_text(ref: str, text: str, style: int = 0) -> str:
    return f'<c r="{ref}" t="inlineStr" s="{style}"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _vendor_sheet(questions: list[tuple[str, str, str]]) -> str:
    rows = ['<row r="1">' + _cell_text("A1", "Vendor Response", 1) + '</row>',
            '<row r="3">' + "".join(_cell_text(f"{c}3", t, 1) for c, t in
                                    zip("ABCDE", ("Documentation", "", "Vendor Answers",
                                                  "Additional Information", "Guidance"), strict=True)) + '</row>']
    for index, (ident, question, guidance) in enumerate(questions):
        r = index + 4
        answer, comment = ANSWERED.get(ident, ("", ""))
        cells = [_cell_text(f"A{r}", ident),
                 f'<c r="B{r}" t="str" s="2"><f>VLOOKUP(A{r},Questions!$A$1:$B$20,2,FALSE)</f>'
                 f'<v>{escape(question)}</v></c>']
        if answer:
            cells.append(_cell_text(f"C{r}", answer, 3))
        else:
            cells.append(f'<c r="C{r}" s="3"/>')
        if comment:
            cells.append(_cell_text(f"D{r}", comment, 2))
        else:
            cells.append(f'<c r="D{r}" s="2"/>')
        cells.append(f'<c r="E{r}" t="str" s="2"><f>IF(C{r}="","{escape(guidance)}","")</f>'
                     f'<v>{escape(guidance)}</v></c>')
        rows.append(f'<row r="{r}">' + "".join(cells) + '</row>')
    last = len(questions) + 3
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS} {X14}>'
            f'<dimension ref="A1:E{last}"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
            '<cols><col min="2" max="2" width="70" customWidth="1"/></cols>'
            f'<sheetData>{"".join(rows)}</sheetData>'
            f'<conditionalFormatting sqref="C4:C{last}"><cfRule type="cellIs" dxfId="0" priority="1" '
            'operator="equal"><formula>"No"</formula></cfRule></conditionalFormatting>'
            '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
            'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
            '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
            '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
            '<x14:formula1><xm:f>Lists!$A$1:$A$3</xm:f></x14:formula1>'
            f'<xm:sqref>C4:C{last}</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>'
            '</worksheet>')


def _plain_sheet(rows: list[list[str]], dimension: str | None = None, extra_rows: str = "") -> str:
    body = []
    for r, values in enumerate(rows, start=1):
        body.append(f'<row r="{r}">' + "".join(_cell_text(f"{chr(65 + c)}{r}", v) for c, v in enumerate(values) if v)
                    + '</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS}>{dim}'
            f'<sheetData>{"".join(body)}{extra_rows}</sheetData></worksheet>')


def _column(index: int) -> str:
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _scoring_sheet(rows: int = 700, cols: int = 340) -> str:
    letters = [_column(c) for c in range(1, cols + 1)]
    body = []
    for r in range(1, rows + 1):
        cells = "".join(f'<c r="{letters[c]}{r}"><f>ROW()*{c}</f><v>{r * c}</v></c>' for c in range(cols))
        body.append(f'<row r="{r}">{cells}</row>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS}>'
            f'<dimension ref="A1:{letters[-1]}{rows}"/><sheetData>{"".join(body)}</sheetData></worksheet>')


SHEETS = [
    ("Instructions", "visible"), ("Vendor Response", "visible"), ("Calculations", "visible"),
    ("Notes for Vendors", "visible"), ("ChangeLog", "visible"), ("Analyst Report", "visible"),
    ("Questions", "hidden"), ("Lists", "hidden"),
]


def build(path: Path, *, scoring_rows: int = 700, scoring_cols: int = 340,
          questions: list[tuple[str, str, str]] | None = None) -> Path:
    """Write the workbook to ``path`` and return it; ``questions`` (id, text, guidance) replace the default eight."""
    questions = questions or QUESTIONS
    parts: dict[str, str] = {}
    parts["xl/worksheets/sheet1.xml"] = _plain_sheet([["Instructions"], ["Please complete every question. "
                                                                         "Select your answers from the list."]])
    parts["xl/worksheets/sheet2.xml"] = _vendor_sheet(questions)
    parts["xl/worksheets/sheet3.xml"] = _scoring_sheet(scoring_rows, scoring_cols)
    far_row = '<row r="1048576"><c r="A1048576" s="2"/></row>'
    parts["xl/worksheets/sheet4.xml"] = _plain_sheet([["Notes for vendors"], ["Answers are reviewed by the "
                                                                               "institution's security office."]],
                                                     dimension="A1:AB1048576", extra_rows=far_row)
    parts["xl/worksheets/sheet5.xml"] = _plain_sheet([["Version", "Change"], ["2.0", "Updated SSAE 16 to 18"],
                                                      ["3.0", "Added SOC 1 Type 2 question"]])
    parts["xl/worksheets/sheet6.xml"] = _plain_sheet([["ID", "Question", "Vendor answer"],
                                                      ["DOCU-02", "Policy?", "We also hold SOC 1 and SOC 3 reports."]])
    parts["xl/worksheets/sheet7.xml"] = _plain_sheet([[i, q] for i, q, _ in questions])
    parts["xl/worksheets/sheet8.xml"] = _plain_sheet([["Yes"], ["No"], ["N/A"]])
    sheets = "".join(f'<sheet name="{escape(name)}" sheetId="{n}"' + (f' state="{state}"' if state != "visible" else "")
                     + f' r:id="rId{n}"/>' for n, (name, state) in enumerate(SHEETS, start=1))
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {NS}><sheets>{sheets}</sheets>'
        '<definedNames><definedName name="YesNo">Lists!$A$1:$A$3</definedName></definedNames></workbook>')
    rels = "".join(f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(SHEETS) + 1))
    rels += (f'<Relationship Id="rId{len(SHEETS) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/'
             '2006/relationships/styles" Target="styles.xml"/>')
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
    parts["xl/styles.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/>'
        '</font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill>'
        '<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
        '<alignment wrapText="1" vertical="top"/></xf>'
        '<xf numFmtId="0" fontId="0" fillId="1" borderId="0" xfId="0" applyFill="1"/></cellXfs>'
        '<dxfs count="1"><dxf><font><b/></font></dxf></dxfs></styleSheet>')
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.'
                        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for n in range(1, len(SHEETS) + 1))
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.'
        'org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.'
        f'openxmlformats-officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>')
    parts["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ["[Content_Types].xml", "_rels/.rels", *sorted(p for p in parts if p not in
                                                                    ("[Content_Types].xml", "_rels/.rels"))]:
            archive.writestr(name, parts[name])
    return path
