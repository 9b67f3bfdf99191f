"""The printed purchase contract (帮扶购销合同), A4, with signature and seal lines for both parties.

``contract_data(contract, county_name)`` gathers it, ``render_contract_pdf(data, created)`` draws it.
The contract is a Chinese document, so its wording is written here in Chinese; user text (names,
places) is drawn as text.
"""

from dataclasses import dataclass
from datetime import date

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from courtyard.exports.a4 import start_a4
from courtyard.text.formatting import fen
from courtyard.text.quantities import count_with_unit


@dataclass(frozen=True)
class ContractData:
    number: str
    buyer: str
    seller: str
    seller_kind: str  # 农户 / 合作社 …
    item: str
    season: str
    quantity: str
    rhythm: str
    floor: str
    starts_on: date
    ends_on: date
    place: str


def contract_data(contract, county_name):
    item = contract.item
    seller = contract.household.head_name if contract.household else contract.cooperative.name
    rhythm = f"每 {contract.every_days} 天收货一次，每次 {count_with_unit(contract.units_each_time, item.unit)}" \
        if contract.every_days and contract.units_each_time else "按甲方通知收货"
    return ContractData(
        number=contract.number, buyer=contract.unit.name if contract.unit else f"{county_name}电子商务办公室",
        seller=seller, seller_kind="农户" if contract.household else "合作社/网店/家庭农场", item=item.name,
        season=contract.season,
        quantity=f"{count_with_unit(contract.min_units, item.unit)} 至 {count_with_unit(contract.max_units, item.unit)}",
        rhythm=rhythm, floor=fen(contract.floor_price_fen), starts_on=contract.starts_on, ends_on=contract.ends_on,
        place=contract.delivery_place)


def _paragraph(pdf, text, size=12):
    pdf.set_font(size=size)
    pdf.multi_cell(0, 7.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)


def render_contract_pdf(data, created):
    """The contract as A4 PDF bytes."""
    pdf = FPDF(format="A4", unit="mm")
    family = start_a4(pdf, f"帮扶购销合同 {data.number}", created)
    pdf.set_font(family, size=20)
    pdf.cell(0, 12, "帮扶购销合同", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(size=11)
    pdf.cell(0, 7, f"合同编号：{data.number}", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    _paragraph(pdf, f"甲方（购买方）：{data.buyer}")
    _paragraph(pdf, f"乙方（{data.seller_kind}）：{data.seller}")
    pdf.ln(2)
    for number, text in enumerate((
            f"产品：{data.item}（{data.season}）。",
            f"数量：{data.quantity}；{data.rhythm}。",
            f"价格：每单位不低于保底价 {data.floor}；按收货时套餐价与保底价中较高者结算。",
            f"期限：{data.starts_on:%Y年%m月%d日} 至 {data.ends_on:%Y年%m月%d日}。",
            f"交货地点：{data.place}。",
            "质量：货品须新鲜、无腐烂，按统一分拣标准验收；不合格的货品注明原因后不收。",
            "结算：货款记入乙方（或合作社成员农户本人）收入明细，按县里的付款批次支付。",
            "合同经双方签字（盖章）后，上传签字扫描件，经县电商办确认生效；提前终止须写明原因。",
    ), start=1):
        _paragraph(pdf, f"{number}. {text}")
    pdf.ln(14)
    pdf.set_font(size=12)
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    for left, right in (("甲方（盖章）：", "乙方（签字/盖章）："), ("代表签字：________________", "代表签字：________________"),
                        ("日期：______年____月____日", "日期：______年____月____日")):
        pdf.cell(width, 12, left)
        pdf.cell(width, 12, right, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
