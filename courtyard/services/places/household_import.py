"""Bulk import of households from CSV or XLSX: every row is checked, and any problem imports nothing."""

import csv
import io
from itertools import islice
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Household
from courtyard.services.operations import audit
from courtyard.services.places.households import HouseholdData, apply_data, check

MAX_ROWS = 5000
MAX_COLUMNS = 20  # the template has 8; more are read as unknown columns and reported, never kept
MAX_SCANNED_ROWS = 4 * MAX_ROWS  # blank rows included: a file that is mostly gaps is refused, not walked
# column key -> accepted headers (Chinese first, as in the template)
COLUMNS = {
    "head_name": ("户主姓名", "head_name"),
    "tier": ("类别", "tier"),
    "member_count": ("家庭人口", "member_count"),
    "members": ("家庭成员", "members"),
    "phone": ("手机号", "phone"),
    "id_number": ("身份证号", "id_number"),
    "bank_card": ("银行卡号", "bank_card"),
    "notes": ("备注", "notes"),
}
REQUIRED = ("head_name", "tier")
TIER_WORDS = {
    "贫困户": "poor", "建档立卡户": "poor", "poor": "poor",
    "监测户": "monitored", "防返贫监测户": "monitored", "monitored": "monitored",
    "已脱贫户": "lifted", "脱贫户": "lifted", "lifted": "lifted",
}
TEMPLATE_HEADERS = [names[0] for names in COLUMNS.values()]
TEMPLATE_EXAMPLE = ["张秀英", "贫困户", "3", "张秀英、李明、李小红", "13800138000", "", "", "散养鸡"]


@dataclass
class Problem:
    row: int
    column: str
    message: str


class ImportRejected(Exception):
    """The file had problems; nothing was imported."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def read_table(filename, stream):
    """Rows of cell texts (header first) from an uploaded .csv or .xlsx file."""
    name = (filename or "").lower()
    raw = stream.read()
    if name.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
            sheet.reset_dimensions()  # the file's declared size is not believed: only rows that are there are read
            rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            return _first_rows(([_cell_text(value) for value in row] for row in rows))
        except DomainError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise DomainError(_l("This .xlsx file cannot be read. Save it again from Excel or WPS."), "file") from exc
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise DomainError(_l("This CSV file's text encoding is not UTF-8 or GBK."), "file")
        try:
            return _first_rows(row[:MAX_COLUMNS] for row in csv.reader(io.StringIO(text)))
        except csv.Error as exc:  # a field over the csv module's limit, a NUL character
            raise DomainError(_l("This CSV file cannot be read: a cell is too long or holds odd characters."),
                              "file") from exc
    raise DomainError(_l("Choose a .csv or .xlsx file."), "file")


def _first_rows(rows):
    """The header and at most ``MAX_ROWS + 1`` filled rows (one more than allowed, so parse can say so);
    a file whose rows go on past ``MAX_SCANNED_ROWS`` is refused."""
    kept, filled = [], 0
    for row in islice(rows, MAX_SCANNED_ROWS + 1):
        if len(kept) == MAX_SCANNED_ROWS:
            raise DomainError(_l("The file has too many rows; at most %(n)s households per file.", n=MAX_ROWS), "file")
        kept.append(row)
        if any((cell or "").strip() for cell in row):
            filled += 1
            if filled > MAX_ROWS + 1:
                break
    return kept


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def parse(table):
    """Map the header to column keys; returns (rows as (row number, dict), problems)."""
    problems = []
    rows = [row for row in table if any((cell or "").strip() for cell in row)]
    if not rows:
        raise ImportRejected([Problem(1, "", str(_l("The file is empty.")))])
    header = [(cell or "").strip() for cell in rows[0]]
    by_header = {name: key for key, names in COLUMNS.items() for name in names}
    keys = []
    for position, title in enumerate(header, start=1):
        if title and title not in by_header:
            problems.append(Problem(1, title, str(_l("Unknown column; use the template's column names."))))
        keys.append(by_header.get(title))
    for key in REQUIRED:
        if key not in keys:
            problems.append(Problem(1, COLUMNS[key][0], str(_l("This column is missing."))))
    if len(rows) - 1 > MAX_ROWS:
        problems.append(Problem(1, "", str(_l("At most %(n)s households per file.", n=MAX_ROWS))))
    records = []
    for number, row in enumerate(table, start=1):
        if number == 1 or not any((cell or "").strip() for cell in row):
            continue
        records.append((number, {key: (row[i] if i < len(row) else "").strip() for i, key in enumerate(keys) if key}))
    return records, problems


def _to_data(record, number, problems):
    header = {key: names[0] for key, names in COLUMNS.items()}
    tier = TIER_WORDS.get(record.get("tier", "").strip().lower())
    if tier is None:
        problems.append(Problem(number, header["tier"], str(_l("Write 贫困户, 监测户 or 已脱贫户."))))
    count_text = record.get("member_count", "") or "1"
    count = int(count_text) if count_text.isdigit() else -1
    for key in ("id_number", "bank_card"):
        if "e+" in record.get(key, "").lower() or "." in record.get(key, ""):
            problems.append(Problem(number, header[key], str(_l("The number was turned into a decimal by the spreadsheet; format the column as text."))))
    return HouseholdData(
        head_name=record.get("head_name", ""), tier=tier or "poor", member_count=count,
        members=record.get("members", ""), phone=record.get("phone", ""),
        id_number=record.get("id_number") or None, bank_card=record.get("bank_card") or None,
        notes=record.get("notes", ""),
    )


def check_rows(records, problems):
    """Check each row as the form would, plus duplicates inside the file."""
    header = {key: names[0] for key, names in COLUMNS.items()}
    seen = {"phone": {}, "id_number": {}}
    datas = []
    for number, record in records:
        data = _to_data(record, number, problems)
        for field, message in check(data):
            problems.append(Problem(number, header[field], str(message)))
        for key in seen:
            value = getattr(data, key)
            if value and value in seen[key]:
                problems.append(Problem(number, header[key], str(_l("Same as row %(row)s.", row=seen[key][value]))))
            elif value:
                seen[key][value] = number
        datas.append(data)
    return datas


def import_households(actor, village_id, filename, stream):
    """Import every row or none; returns the number imported, or raises ImportRejected / DomainError."""
    records, problems = parse(read_table(filename, stream))
    datas = check_rows(records, problems) if not problems else []
    if not records and not problems:
        problems.append(Problem(2, "", str(_l("The file has a header but no households."))))
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: (p.row, p.column)))
    try:
        for data in datas:
            household = Household(village_id=village_id, active=True)
            apply_data(household, data)
            db.session.add(household)
        db.session.flush()
        audit.record(actor, "households_imported", "village", village_id, count=len(datas), file=filename)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(datas)


def template_rows():
    return [TEMPLATE_HEADERS, TEMPLATE_EXAMPLE]
