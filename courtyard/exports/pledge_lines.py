"""The county's pledge lines as a streamed CSV or XLSX, from the rows of ``services.pledges.pledge_lines``.

Like the other spreadsheets, a Chinese document: the headings are written here in Chinese. Money is
in yuan as numbers (the XLSX can add it up), times in Beijing time. Both renderers are generators of
bytes, so the file is sent while the rows are still being read.
"""

import io
from decimal import Decimal

from courtyard.exports.cells import csv_writer
from courtyard.exports.statement import yuan
from courtyard.exports.xlsx_stream import CHUNK_ROWS, xlsx_chunks

HEADER = ("众筹项目", "帮扶单位", "认购编号", "套餐", "数量", "单价（元）", "金额（元）", "状态", "付款时间（北京时间）", "对口帮扶村")
WIDTHS = (24, 20, 14, 20, 8, 12, 12, 10, 20, 36)
SHEET = "认购明细"
STATE_NAMES = {
    "payment_pending": "待确认付款", "awaiting_transfer": "待转账", "authorized": "已预授权", "paid": "已付款",
    "cancelled": "已取消", "expired": "已过期", "released": "已释放", "declined": "银行卡被拒",
}


def _values(row, money):
    return (row.campaign, row.unit, row.reference, row.package, row.quantity, money(row.unit_price_fen),
            money(row.total_fen), STATE_NAMES.get(row.state, row.state),
            f"{row.paid_at:%Y-%m-%d %H:%M}" if row.paid_at else "", "、".join(row.villages))


def _number(amount_fen):
    """Yuan as an exact XLSX number: 12.50, never 12.499999."""
    return Decimal(yuan(amount_fen))


def csv_chunks(rows, chunk_rows=CHUNK_ROWS):
    """UTF-8 CSV with a BOM for Excel, ``chunk_rows`` rows per piece."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(HEADER)
    for number, row in enumerate(rows, 1):
        writer.writerow(_values(row, yuan))
        if number % chunk_rows == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def xlsx_file_chunks(rows, chunk_rows=CHUNK_ROWS):
    """One sheet of every line, the header frozen on top."""
    return xlsx_chunks(SHEET, HEADER, (_values(row, _number) for row in rows), widths=WIDTHS, chunk_rows=chunk_rows)
