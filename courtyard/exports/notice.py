"""The printable public notice (公示) of a published allocation, A4, for the village notice board.

``notice_data(run)`` gathers it (also used by the web page), ``render_notice_pdf(data)`` draws it.
Like the receipt, the printed notice is a Chinese document, so its wording is written here in Chinese.
Only masked names, units and income appear: no tier, phone or ID number.
"""

from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode, XPos, YPos
from sqlalchemy import select

from courtyard.exports.a4 import start_a4
from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.models import Adoption, AllocationLine, Household, Package
from courtyard.text.formatting import fen
from courtyard.text.masking import mask_name
from courtyard.text.quantities import household_quantity

ADOPTION, ADOPTION_UNIT = "认养", "份"  # the notice is a Chinese document (see above)


@dataclass(frozen=True)
class NoticeRow:
    name: str  # masked
    supplies: tuple  # ((item name, units, unit), ...)
    income_fen: int


@dataclass(frozen=True)
class NoticeData:
    village: str
    campaign: str
    published_at: datetime  # Asia/Shanghai
    rows: tuple
    households_reached: int
    shortfall: tuple  # ((item name, units), ...) where units > 0


def notice_data(run):
    """A published run's notice: one row per household that supplies anything, in household order.

    Adoptions appear as supplies too ("认养：认养一只鹅 2 份"), with their income.
    """
    rows, items = {}, {}
    for line, head_name in db.session.execute(
        select(AllocationLine, Household.head_name).join(Household, AllocationLine.household_id == Household.id)
        .where(AllocationLine.run_id == run.id).order_by(Household.id, AllocationLine.item_id)
    ).all():
        items[str(line.item_id)] = line.item.name
        if line.units:
            row = rows.setdefault(line.household_id, {"name": mask_name(head_name), "supplies": [], "income_fen": 0})
            row["supplies"].append((line.item.name, line.units, line.item.unit))
            row["income_fen"] += line.income_fen
    adopted = {}
    for adoption, head_name in db.session.execute(
        select(Adoption, Household.head_name).join(Household, Adoption.household_id == Household.id)
        .where(Adoption.run_id == run.id).order_by(Household.id, Adoption.package_id, Adoption.id)
    ).all():
        row = rows.setdefault(adoption.household_id, {"name": mask_name(head_name), "supplies": [], "income_fen": 0})
        adopted.setdefault(adoption.household_id, {}).setdefault(adoption.package.name, 0)
        adopted[adoption.household_id][adoption.package.name] += 1
        row["income_fen"] += adoption.income_fen
    for household_id, packages in adopted.items():
        rows[household_id]["supplies"].extend((f"{ADOPTION}：{name}", count, ADOPTION_UNIT) for name, count in packages.items())
    shortfall = tuple((items.get(key, key), row["shortfall"]) for key, row in run.summary.get("items", {}).items()
                      if row["shortfall"] > 0)
    shortfall += tuple((f"{ADOPTION}：{db.session.get(Package, int(key)).name}", row["shortfall"])
                       for key, row in run.summary.get("adoptions", {}).items() if row["shortfall"] > 0)
    return NoticeData(
        village=run.village.full_name, campaign=run.campaign.title, published_at=run.published_at.astimezone(LOCAL_ZONE),
        rows=tuple(NoticeRow(r["name"], tuple(r["supplies"]), r["income_fen"]) for _, r in sorted(rows.items())),
        households_reached=len(rows), shortfall=shortfall,
    )


def render_notice_pdf(data):
    """The notice as A4 PDF bytes."""
    pdf = FPDF(format="A4", unit="mm")
    family = start_a4(pdf, f"公示 {data.village} {data.campaign}", data.published_at)
    pdf.set_font(family, size=22)
    pdf.cell(0, 12, "供货分配公示", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(size=11)
    pdf.multi_cell(0, 7, f"{data.village} · {data.campaign} · 公示日期 {data.published_at:%Y-%m-%d}",
                   align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
    pdf.ln(2)
    pdf.multi_cell(0, 6, "按照“优先照顾收入最低农户”的原则，在各户申报的供货能力范围内分配本轮供货。",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
    pdf.ln(3)
    heading = FontFace(emphasis="NONE", fill_color=(235, 240, 235))
    with pdf.table(col_widths=(30, 100, 40), text_align=("LEFT", "LEFT", "RIGHT"), headings_style=heading,
                   line_height=8, padding=(1, 2), wrapmode=WrapMode.CHAR) as table:
        table.row(("农户", "供货", "收入"))
        for row in data.rows:
            table.row((row.name, "、".join(household_quantity(*entry) for entry in row.supplies), fen(row.income_fen)))
    pdf.ln(4)
    pdf.multi_cell(0, 7, f"本轮供货农户 {data.households_reached} 户。", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if data.shortfall:
        pdf.multi_cell(0, 7, "供货缺口：" + "、".join(f"{item} {units}" for item, units in data.shortfall),
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
    pdf.multi_cell(0, 7, "公示期内如有异议，请联系驻村工作队。", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
