"""The annual 消费帮扶 certificate of a partner unit as an A4 PDF in Chinese (data from
:mod:`courtyard.services.money.support_certificate`)."""

from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode, XPos, YPos

from courtyard.exports.a4 import heading, start_a4
from courtyard.exports.capitals import yuan_in_capitals
from courtyard.text.formatting import fen


def render_certificate_pdf(data):
    """The certificate as PDF bytes."""
    pdf = FPDF(format="A4", unit="mm")
    family = start_a4(pdf, f"消费帮扶证明 {data.unit} {data.year}", data.issued_at)
    heading(pdf, family, "消费帮扶证明", f"{data.county} · 庭院平台 · 编号 {data.number}", size=24)
    pdf.ln(3)
    pdf.set_font(size=12)
    villages = "、".join(v.village for v in data.villages[:6]) + ("等" if len(data.villages) > 6 else "")
    text = (f"兹证明{data.unit}于{data.year}年度通过{data.county}庭院平台认购村货优选套餐，"
            f"实付金额{fen(data.paid_fen)}（{yuan_in_capitals(data.paid_fen)}）。")
    if data.villages:
        text += (f"所购货品来自{villages}{len(data.villages)}个村的{data.households}户农户，"
                 f"带动农户增收{fen(data.earned_fen)}。")
    pdf.multi_cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR, align="L")
    pdf.ln(4)
    header_style = FontFace(emphasis="NONE", fill_color=(235, 240, 235))
    pdf.set_font(size=11)
    pdf.cell(0, 8, "一、认购的套餐", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    with pdf.table(col_widths=(100, 30, 40), text_align=("LEFT", "RIGHT", "RIGHT"), headings_style=header_style,
                   line_height=7, padding=(1, 2), wrapmode=WrapMode.CHAR) as table:
        table.row(("套餐", "数量（份）", "金额"))
        for line in data.bought:
            table.row((line.package, str(line.quantity), fen(line.amount_fen)))
    pdf.ln(4)
    pdf.cell(0, 8, "二、帮扶的村和农户", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if data.villages:
        with pdf.table(col_widths=(45, 55, 30, 40), text_align=("LEFT", "LEFT", "RIGHT", "RIGHT"),
                       headings_style=header_style, line_height=7, padding=(1, 2), wrapmode=WrapMode.CHAR) as table:
            table.row(("乡镇", "村", "农户（户）", "农户增收"))
            for v in data.villages:
                table.row((v.township, v.village, str(v.households), fen(v.earned_fen)))
            table.row(("合计", "", str(data.households), fen(data.earned_fen)))
    else:
        pdf.set_text_color(90)
        pdf.multi_cell(0, 7, "本年度认购的货品尚未分拣装箱，农户增收数据将在配送后计入。",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR, align="L")
        pdf.set_text_color(0)
    pdf.ln(10)
    pdf.set_font(size=11)
    pdf.cell(0, 8, f"{data.county}电子商务办公室", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 8, data.issued_at.strftime("%Y年%m月%d日"), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(size=9)
    pdf.set_text_color(110)
    pdf.multi_cell(0, 5, "说明：实付金额为本年度已付款认购扣除退款后的金额；农户增收按装入本单位包裹的农户货品及其收购价计算。"
                         "本证明由庭院平台根据系统记录生成。", new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR,
                   align="L")
    return bytes(pdf.output())
