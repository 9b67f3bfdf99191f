"""Reading a bank statement file with a column layout into its credits, or every problem with its row.

The header is looked for in the first rows (exports start with the account, its holder and the period);
rows after it with no amount in the credit column, or a negative one, are debits and are skipped, and so
are the bank's total rows (合计, 小计). Each credit gets a fingerprint that is the same whenever and in
whatever file the bank writes the same line again.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from courtyard.errors import DomainError
from courtyard.services.payments.bank_statement_layouts import header_key
from courtyard.services.operations.table_files import ImportRejected, Problem, read_table

MAX_ROWS = 10_000
MAX_COLUMNS = 40
HEADER_SEARCH_ROWS = 30
TOTAL_WORDS = ("合计", "小计", "总计", "累计")
AMOUNT_NOISE = re.compile(r"[\s,，¥￥元+]|RMB|CNY", re.IGNORECASE)
AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")
DATE_SEPARATED = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?!\d)")


@dataclass(frozen=True)
class Credit:
    row: int
    booked_on: date
    amount_fen: int
    payer_name: str
    payer_account: str
    memo: str
    serial: str
    fingerprint: str


def read_credits(filename, stream, layout):
    """The credits of an uploaded statement; DomainError for a file or layout that cannot be read,
    ImportRejected listing every bad row."""
    table = read_table(filename, stream, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, too_many=_l(
        "The file has too many rows; at most %(n)s lines per file.", n=MAX_ROWS))
    header_row, columns = _find_header(table, layout)
    problems, credits, seen = [], [], {}
    for number, row in enumerate(table[header_row + 1:], start=header_row + 2):
        cells = {key: (row[i] if i is not None and i < len(row) else "").strip() for key, i in columns.items()
                 if key != "memo"}
        memo = " ".join(row[i].strip() for i in columns["memo"] if i < len(row) and (row[i] or "").strip())
        if not any((cell or "").strip() for cell in row) or _is_total(row, cells["date"]):
            continue
        amount = _amount(cells["amount"], number, layout.amount_column, problems)
        if amount is None or amount <= 0:
            continue  # a debit, or no credit on this row
        booked = _date(cells["date"], number, layout.date_column, problems)
        if booked is None:
            continue
        base = "|".join((booked.isoformat(), str(amount), cells["account"], " ".join(memo.split()), cells["serial"]))
        seen[base] = seen.get(base, 0) + 1  # the n-th identical line of the file is a payment of its own
        fingerprint = hashlib.sha256(f"{base}|{seen[base]}".encode()).hexdigest()
        credits.append(Credit(number, booked, amount, cells["name"][:120], cells["account"][:60], memo[:2000],
                              cells["serial"][:80], fingerprint))
    if len(credits) > MAX_ROWS:
        problems.append(Problem(1, "", str(_l("At most %(n)s lines per file.", n=MAX_ROWS))))
    if problems:
        raise ImportRejected(problems[:200])
    if not credits:
        raise DomainError(_l("The file has no credits in the column %(column)s.", column=layout.amount_column), "file")
    return credits


def _find_header(table, layout):
    """(index of the header row, {key: column index}) — the first row with the date and amount columns."""
    wanted = {"date": layout.date_column, "amount": layout.amount_column}
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        positions = {header_key(cell): i for i, cell in reversed(list(enumerate(row))) if header_key(cell)}
        if all(header_key(name) in positions for name in wanted.values()):
            memo = [positions[header_key(name)] for name in layout.memo_columns if header_key(name) in positions]
            if not memo:
                raise DomainError(_l("The file has none of the memo columns of this layout (%(columns)s).",
                                     columns="、".join(layout.memo_columns)), "preset")
            optional = {"name": layout.payer_name_column, "account": layout.payer_account_column,
                        "serial": layout.serial_column}
            columns = {key: positions[header_key(name)] for key, name in wanted.items()}
            columns.update({key: positions.get(header_key(name)) if name else None for key, name in optional.items()})
            columns["memo"] = memo
            return index, columns
    first = next((row for row in table if any((c or "").strip() for c in row)), [])
    found = "、".join(c.strip() for c in first if (c or "").strip())[:200] or "—"
    raise DomainError(_l("This file has no header with the columns %(date)s and %(amount)s of this layout. "
                         "Choose another layout or name a new one. The file's first row: %(found)s",
                         date=layout.date_column, amount=layout.amount_column, found=found), "preset")


def _amount(text, number, column, problems):
    """The amount in fen; None when the cell is empty; a problem for anything that is not an amount."""
    cleaned = AMOUNT_NOISE.sub("", text or "")
    if cleaned in ("", "-", "--", "0", "0.00"):
        return None
    try:
        value = Decimal(cleaned) if AMOUNT.match(cleaned) else None
        fen = value * 100 if value is not None else None
    except InvalidOperation:
        fen = None
    if fen is None or fen != fen.to_integral_value() or abs(fen) >= 10**11:
        problems.append(Problem(number, column, str(_l("Not an amount in yuan: %(text)s", text=text[:40]))))
        return None
    return int(fen)


def _is_total(row, date_text):
    """The bank's total line (合计, 本页小计 …, in any cell, with no date): not a credit of its own."""
    return _parsed_date(date_text) is None and any(word in (cell or "") for cell in row for word in TOTAL_WORDS)


def _parsed_date(text):
    match = DATE_SEPARATED.match(text or "") or DATE_COMPACT.match(text or "")
    try:
        return date(*(int(part) for part in match.groups())) if match else None
    except ValueError:
        return None


def _date(text, number, column, problems):
    booked = _parsed_date(text)
    if booked is None:
        problems.append(Problem(number, column, str(_l("Not a date: %(text)s (write 2026-12-01)",
                                                       text=(text or "")[:40]))))
    return booked
