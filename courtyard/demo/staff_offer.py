"""The demo staff offer: 县第一中学's 工会 lets its teachers choose their own New Year packages.

Six teachers on the roll, an offer open for a week (¥400 each, the New Year and autumn packages, the
canteen or the union room), four of them have chosen. Built through the real services; safe to run twice.
"""

from datetime import timedelta

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import Campaign, DeliveryAddress, PartnerUnit, StaffMember, StaffOffer
from courtyard.services.staff_offers import choices, offers, roll

UNIT = "县第一中学"
CAMPAIGN = "2026 囤年货"
TEACHERS = [("刘老师", "13904530001"), ("陈老师", "13904530002"), ("杨老师", "13904530003"),
            ("黄老师", "13904530004"), ("马老师", "13904530005"), ("林老师", "13904530006")]
CHOICES = ((0, 0, 0), (1, 1, 0), (2, 0, 1), (3, 1, 1))  # (teacher, package, point)


def build_demo_staff_offer(now):
    """The offer, its roll and four choices, if there is no staff offer yet; returns the phones that may sign in."""
    unit = db.session.scalar(select(PartnerUnit).where(PartnerUnit.name == UNIT))
    campaign = db.session.scalar(select(Campaign).where(Campaign.title == CAMPAIGN))
    if unit is None or campaign is None or db.session.scalar(select(StaffOffer.id).limit(1)) is not None:
        return [phone for _, phone in TEACHERS[:1]]
    canteen = db.session.scalar(select(DeliveryAddress).where(DeliveryAddress.unit_id == unit.id))
    union_room = DeliveryAddress(unit_id=unit.id, label="工会活动室", address=f"{unit.name}办公楼二楼",
                                 contact_name=unit.contact_name, contact_phone=unit.contact_phone)
    db.session.add(union_room)
    roll.add_staff(None, unit, "\n".join(f"{name} {phone}" for name, phone in TEACHERS), now)
    packages = [o for o in campaign.offers if o.package.name in ("囤年货套餐", "囤秋菜套餐")]
    db.session.flush()
    offer = offers.open_offer(None, unit, campaign.id, [p.id for p in packages], [canteen.id, union_room.id], 40_000, 1,
                              now + timedelta(days=7), "transfer", now)
    db.session.commit()
    points = [canteen.id, union_room.id]
    for teacher, package, point in CHOICES:
        member = db.session.scalar(select(StaffMember).where(StaffMember.phone == TEACHERS[teacher][1]))
        choices.choose(member, offer, {packages[package].id: 1}, points[point], now)
    return [phone for _, phone in TEACHERS[:1]]
