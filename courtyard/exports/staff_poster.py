"""The A4 poster of a staff offer for the office wall or the unit's chat group: the campaign's story and a QR code.

``poster_data(offer, link)`` gathers it, ``render_poster_pdf(data)`` draws it; ``qr_svg_uri(link)``
is the same code for the coordinator's page. Posters are read in China, so their words are Chinese.
"""

from dataclasses import dataclass
from datetime import datetime

import segno
from fpdf import FPDF

from courtyard.exports.a4 import start_a4
from courtyard.exports.shipping_labels import qr_png
from courtyard.localtime import LOCAL_ZONE
from courtyard.text.formatting import fen


@dataclass(frozen=True)
class Poster:
    unit: str
    campaign: str
    story: str
    packages: list  # (name, price as text)
    allowance: str
    deadline: datetime  # local
    link: str
    printed_at: datetime


def poster_data(offer, link, now):
    return Poster(unit=offer.unit.name, campaign=offer.campaign.title, story=offer.campaign.story or "",
                  packages=[(p.package.name, fen(p.price_fen)) for p in offer.packages],
                  allowance=fen(offer.allowance_fen), deadline=offer.deadline_at.astimezone(LOCAL_ZONE), link=link,
                  printed_at=now)


def qr_svg_uri(link):
    """The link's QR code as an SVG data URI (for an <img> on the page)."""
    return segno.make(link, error="m", micro=False).svg_data_uri(scale=4, border=2)


def render_poster_pdf(poster):
    """The poster as PDF bytes: title, story, packages, the QR code, the link and the deadline."""
    pdf = FPDF(format="A4", unit="mm")
    family = start_a4(pdf, f"{poster.unit} 职工自选", poster.printed_at)
    pdf.set_font(family, size=24)
    pdf.multi_cell(0, 12, f"{poster.unit} 职工自选", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(size=16)
    pdf.multi_cell(0, 9, poster.campaign, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(size=11)
    if poster.story:
        pdf.multi_cell(0, 6.5, poster.story, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.multi_cell(0, 6.5, f"工会为每人支付 {poster.allowance}，请在 {poster.deadline:%Y-%m-%d %H:%M} 前扫码选择自己的套餐：",
                   new_x="LMARGIN", new_y="NEXT")
    for name, price in poster.packages:
        pdf.multi_cell(0, 6.5, f"· {name}  {price}", new_x="LMARGIN", new_y="NEXT")
    side = 80
    pdf.image(qr_png(poster.link), x=(210 - side) / 2, y=pdf.get_y() + 6, w=side, h=side)
    pdf.set_y(pdf.get_y() + side + 10)
    pdf.set_font(size=10)
    pdf.multi_cell(0, 6, "用手机扫码，输入手机号和短信验证码登录。", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, poster.link, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
