"""Household statements (收入对账单) as an A4 PDF (a page each), CSV and XLSX, from ``statement_data``.

Like the receipt, the printed statement is a Chinese document whatever the reader's site language,
so its wording is written here in Chinese.
"""

import io

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from openpyxl import Workbook

from courtyard.exports.a4 import heading, start_a4
from courtyard.exports.cells import append_row, csv_writer
from courtyard.exports.ruled_table import CENTER, LEFT, RIGHT, Ruling, draw_table
from courtyard.text.formatting import fen
from courtyard.text.quantities import household_quantity

KIND_NAMES = {"goods_accepted": "交售农产品", "hosting_fee": "接待采摘", "payout": "付款",
              "cooperative_fee": "合作社服务费"}
TIER_NAMES = {"poor": "贫困户", "monitored": "监测户", "lifted": "已脱贫户"}
METHOD_NAMES = {"bank": "银行转账", "cash": "现金"}
FOOTER = "本对账单由庭院平台生成。如有疑问，请联系驻村工作队。"
SUMMARY_RULING = Ruling(widths=(42.5,) * 4, aligns=(CENTER,) * 4, line_height=9, heading_fill=(255, 245, 200))
LINES_RULING = Ruling(widths=(22, 24, 30, 50, 22, 22), aligns=(LEFT, LEFT, LEFT, LEFT, RIGHT, RIGHT))


def kind_name(line):
    name = KIND_NAMES.get(line.kind, line.kind)
    return f"冲销：{name}" if line.reversal else name


def describe(line):
    """What the line was, in words: the item and units, or the payout's method and reference."""
    if line.kind == "payout":
        return " ".join(part for part in (METHOD_NAMES.get(line.method, line.method), line.reference) if part)
    if line.item and line.unit_price_fen is None:  # a cooperative's fee on goods
        return household_quantity(line.item, line.units, line.item_unit)
    if line.item:
        cited = f"（合同 {line.contract}）" if line.contract else ""
        return f"{household_quantity(line.item, line.units, line.item_unit)} × {fen(line.unit_price_fen)}{cited}"
    if line.visit:
        return f"采摘活动：{line.visit}"
    return line.memo


def period_label(period):
    return f"{period.start:%Y-%m-%d} 至 {period.last_day:%Y-%m-%d}"


class _StatementPDF(FPDF):
    def footer(self):
        self.set_y(-16)
        self.set_font(self.font_family, size=9)
        self.set_text_color(110)
        self.cell(0, 5, FOOTER, align="C")


def render_statements_pdf(statements, county, issued_at):
    """One page (or more, for long ones) per statement, as PDF bytes."""
    pdf = _StatementPDF(format="A4", unit="mm")
    family = start_a4(pdf, "收入对账单", issued_at)
    for number, statement in enumerate(statements):
        if number:
            pdf.add_page()
        _page(pdf, family, statement, county, issued_at)
    if not statements:
        pdf.set_font(family, size=12)
        pdf.cell(0, 10, "本期没有对账单。")
    return bytes(pdf.output())


def _page(pdf, family, s, county, issued_at):
    heading(pdf, family, "农户收入对账单", f"{county} · 庭院平台")
    for label, value in (("户主", s.household), ("村", s.village), ("类别", TIER_NAMES.get(s.tier, s.tier)),
                         ("对账期间", period_label(s.period)), ("打印时间", f"{issued_at:%Y-%m-%d %H:%M}（北京时间）")):
        pdf.cell(24, 7, label)
        pdf.cell(0, 7, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(size=13)
    draw_table(pdf, SUMMARY_RULING, ("期初应付", "本期收入", "本期已付", "期末仍欠"),
               [(fen(s.opening_fen), fen(s.earned_fen), fen(s.paid_fen), fen(s.closing_fen))])
    pdf.ln(4)
    pdf.set_font(size=10)
    rows = [(f"{line.at:%Y-%m-%d}", kind_name(line), line.campaign, describe(line),
             fen(line.earned_fen) if line.earned_fen else "", fen(line.paid_fen) if line.paid_fen else "")
            for line in s.lines] or [("", "本期没有收支", "", "", "", "")]
    draw_table(pdf, LINES_RULING, ("日期", "事项", "众筹项目", "明细", "收入", "付款"), rows)


SUMMARY_HEADER = ("户主", "村", "类别", "期间开始", "期间结束", "期初应付（元）", "本期收入（元）", "本期已付（元）", "期末仍欠（元）")
LINES_HEADER = ("户主", "日期", "事项", "众筹项目", "品名", "数量", "单价（元）", "收入（元）", "付款（元）", "付款方式", "参考号", "备注")


def yuan(amount_fen):
    """Fen as a plain yuan figure for spreadsheets and bank files: 1234.50."""
    sign = "-" if amount_fen < 0 else ""
    whole, cents = divmod(abs(amount_fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def summary_rows(statements):
    for s in statements:
        yield (s.household, s.village, TIER_NAMES.get(s.tier, s.tier), f"{s.period.start}", f"{s.period.last_day}",
               yuan(s.opening_fen), yuan(s.earned_fen), yuan(s.paid_fen), yuan(s.closing_fen))


def line_rows(statements):
    for s in statements:
        for line in s.lines:
            yield (s.household, f"{line.at:%Y-%m-%d %H:%M}", kind_name(line), line.campaign, line.item,
                   line.units or "", yuan(line.unit_price_fen) if line.unit_price_fen else "", yuan(line.earned_fen),
                   yuan(line.paid_fen), METHOD_NAMES.get(line.method, ""), line.reference, line.memo)


def render_statements_csv(statements):
    """Every line of every statement, one row each, UTF-8 with a BOM for Excel."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(LINES_HEADER)
    writer.writerows(line_rows(statements))
    return "\ufeff" + buffer.getvalue()


def render_statements_xlsx(statements):
    """A summary sheet (a row per household) and a sheet of every line."""
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    append_row(summary, SUMMARY_HEADER)
    for row in summary_rows(statements):
        append_row(summary, row[:5] + tuple(float(v) for v in row[5:]))
    lines = book.create_sheet("明细")
    append_row(lines, LINES_HEADER)
    for row in line_rows(statements):
        append_row(lines, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
