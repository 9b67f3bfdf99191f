"""The handover sheet (职工领取签收单) of one delivery point: A4, one row per person's box, a signature column.

``handover_data(delivery, rows)`` gathers it, ``render_handover_pdf(data)`` draws it. Names are the
unit's own staff, printed in full for the people signing beside them; the sheet stays at the unit.
"""

from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF

from courtyard.exports.a4 import start_a4
from courtyard.exports.ruled_table import CENTER, LEFT, Ruling, draw_table
from courtyard.text.masking import mask_phone

RULING = Ruling(widths=(10, 32, 30, 48, 50), aligns=(CENTER, LEFT, LEFT, LEFT, LEFT), line_height=11)


@dataclass(frozen=True)
class HandoverSheet:
    unit: str
    place: str
    round_title: str
    rows: list  # (name, masked phone, package, trace code)
    printed_at: datetime


def handover_data(delivery, rows, now):
    return HandoverSheet(unit=delivery.unit.name, place=str(delivery.address), round_title=delivery.round.title,
                         rows=[(r.name, mask_phone(r.phone), r.package, r.trace_code) for r in rows], printed_at=now)


def render_handover_pdf(sheet):
    """The sheet as PDF bytes."""
    pdf = FPDF(format="A4", unit="mm")
    family = start_a4(pdf, "职工领取签收单", sheet.printed_at)
    pdf.set_font(family, size=15)
    pdf.cell(0, 9, f"{sheet.unit} 职工领取签收单", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(size=10)
    pdf.cell(0, 6, f"领取点：{sheet.place}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"{sheet.round_title} · 共 {len(sheet.rows)} 箱", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    heading = ("#", "姓名", "手机", "套餐 / 溯源码", "签名")
    draw_table(pdf, RULING, heading,
               [(n, name, phone, f"{package} {code}", "") for n, (name, phone, package, code) in
                enumerate(sheet.rows, start=1)])
    return bytes(pdf.output())
