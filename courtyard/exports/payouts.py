"""Payout documents: the bank file of a batch (CSV) and a payout voucher (付款凭证) with signature lines."""

import io
from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from courtyard.exports.a4 import start_a4
from courtyard.exports.capitals import yuan_in_capitals
from courtyard.exports.cells import csv_writer
from courtyard.exports.statement import METHOD_NAMES, yuan
from courtyard.localtime import LOCAL_ZONE
from courtyard.text.formatting import fen

BANK_HEADER = ("序号", "户主姓名", "银行卡号", "金额（元）", "附言")


def bank_rows(batch):
    """One row per payout: the card number is decrypted here, only for the bank file."""
    standing = [payout for payout in batch.payouts if payout.reversed_by is None]
    for number, payout in enumerate(standing, start=1):
        household = payout.household
        yield (number, household.head_name, household.bank_card or "", yuan(payout.amount_fen),
               f"庭院收入 {batch.reference}")


def render_bank_csv(batch):
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(BANK_HEADER)
    writer.writerows(bank_rows(batch))
    return "\ufeff" + buffer.getvalue()


@dataclass(frozen=True)
class VoucherData:
    number: str
    county: str
    household: str
    village: str
    amount_fen: int
    amount_in_capitals: str
    method: str
    reference: str
    paid_at: datetime  # Asia/Shanghai
    cash: bool
    reversed: bool


def voucher_data(payout, county):
    return VoucherData(
        number=f"FK{payout.id:08d}", county=county, household=payout.household.head_name,
        village=payout.household.village.full_name, amount_fen=payout.amount_fen,
        amount_in_capitals=yuan_in_capitals(payout.amount_fen), method=METHOD_NAMES.get(payout.method, payout.method),
        reference=payout.reference, paid_at=payout.occurred_at.astimezone(LOCAL_ZONE), cash=payout.method == "cash",
        reversed=payout.reversed_by is not None)


def render_voucher_pdf(data):
    """An A4 payout voucher; a cash payout has lines for the household's and the clerk's signatures."""
    pdf = FPDF(format="A4", unit="mm")
    family = start_a4(pdf, f"付款凭证 {data.number}", data.paid_at)
    pdf.set_font(family, size=22)
    pdf.cell(0, 13, "付款凭证" + ("（已冲销）" if data.reversed else ""), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(size=11)
    pdf.cell(0, 7, f"{data.county} · 庭院平台 · 农户收入付款", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(5)
    pdf.set_font(size=13)
    for label, value in (("凭证编号", data.number), ("收款农户", data.household), ("村", data.village),
                         ("付款方式", data.method), ("参考号", data.reference or "—"),
                         ("付款日期", f"{data.paid_at:%Y-%m-%d}"), ("金额", fen(data.amount_fen))):
        pdf.cell(30, 9, label)
        pdf.cell(0, 9, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.multi_cell(0, 10, f"金额（大写）：{data.amount_in_capitals}", border=1, padding=(1, 3),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR, align="L")
    pdf.ln(14)
    if data.cash:
        pdf.cell(0, 10, "领款人签字（按手印）：________________    日期：____________", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(8)
    pdf.cell(0, 10, "经办人签字：________________    日期：____________", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
