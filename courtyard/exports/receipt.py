"""The pledge receipt (收据): ``receipt_data(pledge, now)`` gathers it, ``render_receipt_pdf(data)`` draws it.

The receipt is a Chinese document whatever language the reader uses on the site, so its wording is
written here in Chinese rather than taken from the catalog.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode, XPos, YPos

from courtyard.errors import DomainError
from courtyard.exports.a4 import start_a4
from courtyard.exports.capitals import yuan_in_capitals
from courtyard.localtime import LOCAL_ZONE
from courtyard.text.formatting import fen

METHOD_LABELS = {"card": "银行卡", "transfer": "对公转账"}
RECEIPT_STATES = ("paid", "authorized")
FOOTER = "本收据由庭院平台生成"


@dataclass(frozen=True)
class ReceiptLine:
    package: str
    address: str
    quantity: int
    unit_price_fen: int
    amount_fen: int


@dataclass(frozen=True)
class ReceiptData:
    number: str  # the pledge's reference
    county: str
    unit: str
    campaign: str
    lines: tuple[ReceiptLine, ...]
    total_fen: int
    refunded_fen: int
    received_fen: int  # total less refunds (for a hold: the amount held)
    received_in_capitals: str
    preauthorised: bool  # a card hold, not yet charged
    paid_at: datetime | None  # Asia/Shanghai
    payment_method: str
    invoice_title: str
    invoice_tax_number: str
    issued_at: datetime  # Asia/Shanghai


def receipt_data(pledge, now, *, county_name=None):
    """The receipt of a paid or authorised pledge; any other pledge has none (DomainError)."""
    if pledge.state not in RECEIPT_STATES:
        raise DomainError(_l("A receipt is only issued for a paid or authorised pledge."))
    lines = tuple(
        ReceiptLine(package=line.offer.package.name, address=line.address.label, quantity=line.quantity,
                    unit_price_fen=line.unit_price_fen, amount_fen=line.amount_fen)
        for line in pledge.lines
    )
    received = pledge.total_fen - (pledge.refunded_fen or 0)
    invoice_wanted = bool(pledge.invoice_requested_at or pledge.invoice_title)
    return ReceiptData(
        number=pledge.reference,
        county=county_name or current_app.config["COUNTY_NAME"],
        unit=pledge.unit.name,
        campaign=pledge.campaign.title,
        lines=lines,
        total_fen=pledge.total_fen,
        refunded_fen=pledge.refunded_fen or 0,
        received_fen=received,
        received_in_capitals=yuan_in_capitals(received),
        preauthorised=pledge.state == "authorized",
        paid_at=pledge.paid_at.astimezone(LOCAL_ZONE) if pledge.paid_at and pledge.state == "paid" else None,
        payment_method=METHOD_LABELS.get(pledge.method, pledge.method),
        invoice_title=pledge.invoice_title if invoice_wanted else "",
        invoice_tax_number=pledge.invoice_tax_number if invoice_wanted else "",
        issued_at=now.astimezone(LOCAL_ZONE),
    )


class _ReceiptPDF(FPDF):
    def footer(self):
        self.set_y(-18)
        self.set_font(self.font_family, size=9)
        self.set_text_color(110)
        self.cell(0, 5, FOOTER, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.cell(0, 5, f"第 {self.page_no()} 页，共 {{nb}} 页", align="C")


def render_receipt_pdf(data):
    """An A4 receipt in Chinese, as PDF bytes."""
    pdf = _ReceiptPDF(format="A4", unit="mm")
    family = start_a4(pdf, f"收据 {data.number}", data.issued_at, bottom_margin=25)
    _header(pdf, family, data)
    _lines_table(pdf, data)
    _totals(pdf, family, data)
    _notes(pdf, family, data)
    return bytes(pdf.output())


def _row(pdf, label, value, *, width=28, size=11):
    pdf.set_font(size=size)
    pdf.set_text_color(90)
    pdf.cell(width, 7.5, label)
    pdf.set_text_color(0)
    pdf.multi_cell(0, 7.5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR, align="L")


def _header(pdf, family, data):
    pdf.set_font(family, size=24)
    pdf.cell(0, 13, "收据（预授权）" if data.preauthorised else "收据", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(size=11)
    pdf.set_text_color(90)
    pdf.cell(0, 7, f"{data.county} · 庭院平台 · 村货优选认购", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(5)
    _row(pdf, "收据编号", data.number)
    _row(pdf, "付款单位", data.unit)
    _row(pdf, "众筹项目", data.campaign)
    _row(pdf, "付款方式", data.payment_method)
    if data.preauthorised:
        _row(pdf, "付款日期", "预授权：款项已冻结，众筹达标后扣款")
    else:
        _row(pdf, "付款日期", data.paid_at.strftime("%Y-%m-%d") if data.paid_at else "")
    _row(pdf, "开具时间", data.issued_at.strftime("%Y-%m-%d %H:%M") + "（北京时间）")
    pdf.ln(4)


def _lines_table(pdf, data):
    heading = FontFace(emphasis="NONE", fill_color=(235, 240, 235))
    with pdf.table(col_widths=(58, 44, 14, 27, 27), text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
                   headings_style=heading, line_height=8, padding=(1, 2), wrapmode=WrapMode.CHAR) as table:
        table.row(("套餐", "收货地址", "数量", "单价", "金额"))
        for line in data.lines:
            table.row((line.package, line.address, str(line.quantity), fen(line.unit_price_fen), fen(line.amount_fen)))
    pdf.ln(3)


def _totals(pdf, family, data):
    rows = [("合计", fen(data.total_fen))]
    if data.refunded_fen:
        rows += [("已退款", fen(-data.refunded_fen)), ("实收金额", fen(data.received_fen))]
    if data.preauthorised:
        rows.append(("预授权金额", fen(data.received_fen)))
    pdf.set_font(family, size=12)
    for label, amount in rows:
        pdf.cell(pdf.epw - 40, 8, label, align="R")
        pdf.cell(40, 8, amount, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    label = "预授权金额（大写）" if data.preauthorised else "实收金额（大写）"
    pdf.set_font(size=13)
    pdf.multi_cell(0, 9, f"{label}：{data.received_in_capitals}", border=1, padding=(1, 3),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR, align="L")
    pdf.ln(4)


def _notes(pdf, family, data):
    if data.invoice_title:
        _row(pdf, "发票抬头", data.invoice_title)
        _row(pdf, "纳税人识别号", data.invoice_tax_number or "—", width=28)
    if data.preauthorised:
        pdf.ln(2)
        pdf.set_font(family, size=10)
        pdf.set_text_color(90)
        pdf.multi_cell(0, 6, "预授权说明：上述金额已在银行卡上冻结，尚未扣款。众筹达标后扣款；"
                             "未达标则解除冻结，不收取任何费用。",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR, align="L")
