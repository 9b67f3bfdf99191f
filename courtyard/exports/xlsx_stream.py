"""A one-sheet XLSX written as it is sent: rows in, compressed bytes out, in flat memory.

openpyxl's write-only mode and xlsxwriter's constant-memory mode both keep memory flat, but at
200,000 rows they spend about 15 s on their cells here (openpyxl is timed in ``bench/exports.py``). An XLSX file is a
zip of XML parts, and a sheet of plain values needs only five of them, so this module writes the
sheet's XML itself, rows as inline strings and numbers, through :class:`zipfile.ZipFile` into a
buffer that is emptied after every chunk of rows. Nothing is kept but the chunk being compressed.

``xlsx_chunks(sheet, header, rows)`` yields the bytes of the file; a Flask ``Response`` sends them
as they come. Values are ``str``, ``int``, ``float``, ``Decimal`` or ``None``; a string that looks
like a number stays a string (a reference code keeps its leading zeros), and text a spreadsheet
would run as a formula is neutralised (:mod:`courtyard.exports.cells`).
"""

import re
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from courtyard.exports.cells import text_cell

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_ROWS = 2_000
# characters XML 1.0 cannot hold at all (control characters other than tab, newline and return)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name={name} sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '</sheetView></sheetViews>{cols}<sheetData>'
)
_SHEET_END = '</sheetData></worksheet>'


class _Drain:
    """A write-only file for :class:`zipfile.ZipFile` whose contents are taken away chunk by chunk."""

    def __init__(self):
        self.parts, self.written = [], 0

    def write(self, data):
        self.parts.append(bytes(data))
        self.written += len(data)
        return len(data)

    def tell(self):
        return self.written

    def flush(self):
        pass

    def take(self):
        data, self.parts = b"".join(self.parts), []
        return data


def column_letter(index):
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref, value):
    if type(value) is str:  # the common case first: most cells are short plain text
        if not value:
            return ""
        value = text_cell(value)
        if _SPECIAL.search(value) or value[0].isspace() or value[-1].isspace():
            return _awkward_text(ref, value)
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return _cell(ref, str(value))


def _awkward_text(ref, value):
    """Text with markup characters, characters XML cannot hold, or spaces at either end to keep."""
    text = escape(_NOT_XML.sub("", value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>' if text else ""


def _row(number, letters, values):
    cells = "".join(_cell(f"{letter}{number}", value) for letter, value in zip(letters, values))
    return f'<row r="{number}">{cells}</row>'


def _cols(widths):
    if not widths:
        return ""
    cols = "".join(f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>' for n, w in enumerate(widths, 1))
    return f"<cols>{cols}</cols>"


def xlsx_chunks(sheet, header, rows, *, widths=None, chunk_rows=CHUNK_ROWS):
    """The XLSX file of ``header`` then ``rows`` on one sheet named ``sheet``, as a generator of bytes."""
    drain = _Drain()
    letters = [column_letter(n) for n in range(len(header))]
    with zipfile.ZipFile(drain, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK.format(name=quoteattr(sheet[:31])))
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write((_SHEET_START.format(cols=_cols(widths)) + _row(1, letters, header)).encode())
            pending = []
            for number, values in enumerate(rows, 2):
                pending.append(_row(number, letters, values))
                if len(pending) == chunk_rows:
                    part.write("".join(pending).encode())
                    pending = []
                    if drain.parts:
                        yield drain.take()
            part.write(("".join(pending) + _SHEET_END).encode())
    yield drain.take()
