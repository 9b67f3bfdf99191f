"""The printed pick list (收货单) of a round for one village, A4 in big type, for collection day.

One row per household that is to bring something: name, items and units, and a column to sign.
``pick_list_data(round_, village)`` gathers it, ``render_pick_list_pdf(data)`` draws it. Like the
notice, the printed list is a Chinese document, so its wording is written here in Chinese. The list
stays with the work team, so names are in full (the households sign next to them).
"""

from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode, XPos, YPos
from sqlalchemy import select

from courtyard.exports.a4 import start_a4
from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.models import AllocationLine, AllocationRun, CollectionDay, Household
from courtyard.text.quantities import household_quantity



@dataclass(frozen=True)
class PickRow:
    name: str
    phone: str
    items: tuple  # ((item name, units, unit), ...)


@dataclass(frozen=True)
class PickListData:
    village: str
    title: str
    starts_at: datetime | None  # Asia/Shanghai
    place: str
    rows: tuple
    totals: tuple  # ((item name, units, unit), ...)


def pick_list_data(round_, village):
    """The households of ``village`` with units to bring in ``round_``, by name."""
    day = db.session.scalar(select(CollectionDay).where(CollectionDay.round_id == round_.id,
                                                        CollectionDay.village_id == village.id))
    rows, totals = {}, {}
    for line, household in db.session.execute(
        select(AllocationLine, Household).join(Household, AllocationLine.household_id == Household.id)
        .join(AllocationRun, AllocationLine.run_id == AllocationRun.id)
        .where(AllocationRun.round_id == round_.id, AllocationRun.village_id == village.id,
               AllocationRun.state == "published", AllocationLine.units > 0)
        .order_by(Household.head_name, Household.id, AllocationLine.item_id)
    ).all():
        row = rows.setdefault(household.id, (household.head_name, household.phone or "", []))
        row[2].append((line.item.name, line.units, line.item.unit))
        total = totals.setdefault(line.item_id, [line.item.name, 0, line.item.unit])
        total[1] += line.units
    return PickListData(
        village=village.full_name, title=f"{round_.campaign.title} · {round_.title}",
        starts_at=day.starts_at.astimezone(LOCAL_ZONE) if day else None, place=day.place if day else "",
        rows=tuple(PickRow(name, phone, tuple(items)) for name, phone, items in rows.values()),
        totals=tuple(tuple(t) for t in totals.values()),
    )


def render_pick_list_pdf(data, created):
    """The pick list as A4 PDF bytes, in big type."""
    pdf = FPDF(format="A4", unit="mm")
    family = start_a4(pdf, f"收货单 {data.village} {data.title}", created)
    pdf.set_font(family, size=24)
    pdf.cell(0, 13, "收货单", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(size=14)
    pdf.multi_cell(0, 8, f"{data.village} · {data.title}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                   wrapmode=WrapMode.CHAR)
    if data.starts_at:
        pdf.multi_cell(0, 8, f"收货时间：{data.starts_at:%Y-%m-%d %H:%M}　地点：{data.place}", align="C",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
    pdf.ln(3)
    heading = FontFace(emphasis="NONE", fill_color=(235, 240, 235))
    pdf.set_font(size=15)
    with pdf.table(col_widths=(34, 76, 30, 30), text_align=("LEFT", "LEFT", "CENTER", "LEFT"), headings_style=heading,
                   line_height=10, padding=(1.5, 2), wrapmode=WrapMode.CHAR) as table:
        table.row(("农户", "应交货品", "实收", "签字"))
        for row in data.rows:
            table.row((row.name, "\n".join(household_quantity(*entry) for entry in row.items), "", ""))
    pdf.ln(4)
    pdf.set_font(size=13)
    pdf.multi_cell(0, 8, "合计：" + "、".join(household_quantity(*entry) for entry in data.totals),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
    pdf.multi_cell(0, 8, "质量不合格的货品请写明原因，不收。", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
