"""Two of everything: the visitors of the route matrix and the objects its URLs point at.

"Own" objects belong to the first village, unit and household; the "other" visitors are a team
member of the second village, a user of a second unit, a second household and a cooperative of the
second village, who must not reach them. The own cooperative's members are the first household and
the spare one.
"""

import os
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import (
    AllocationRun, CampaignPackage, CollectionRecord, CooperativeDeclaration, Delivery, Household, Invoice, LedgerTransaction,
    Notice, PartnerUnit, Pledge, SavedCard, StaffBox, StaffChoice, StaffMember, StaffOffer, StatementImport, StatementLine,
    User, Visit,
)
from courtyard.models.types import utcnow
from courtyard.services.deliveries import deliveries, delivery_complaints
from courtyard.services.identity import api_tokens
from courtyard.services.money import ledger, payouts
from courtyard.services.visits import visit_registrations, visits
from courtyard.services.money import invoice_files
from courtyard.services.staff_offers import roll
from tests.support.ladder import Ladder
from courtyard.services.integrity import sanctions
from tests.support.cooperatives import active_contract, make_cooperative


def build_world(app, make):
    """A packed delivery round of the first village for the first unit, a reported problem, a visit."""
    r = Ladder(app, make).packed()
    village, other_village = r.village, make.village()
    unit, other_unit = SimpleNamespace(id=r.unit_id), make.unit()
    spare_household = make.household(village)
    paused_household = make.household(village)  # paused from the item by a sanction (the others stay free to supply)
    visitors = {
        "anonymous": None,
        "county": make.admin(),
        "team": make.team_member(village),
        "team_other": make.team_member(other_village),
        "partner": make.partner_user(unit),
        "partner_other": make.partner_user(other_unit),
        "household": _household_user(app, r.households[0]),
        "household_other": _household_user(app, make.household(other_village, with_pin=True)),
    }
    staff_offer_id, _, visitors["staff"] = _staff(app, unit.id, r.campaign_id, "13912340001")
    _, _, visitors["staff_other"] = _staff(app, other_unit.id, r.campaign_id, "13912340002")
    _, member_id, _ = _staff(app, unit.id, r.campaign_id, "13912340003")  # taken off the roll by the partner's visit
    staff_box_id = _staff_box(app, staff_offer_id, r.delivery_id)
    own_coop = make_cooperative(app, make, [], 0, name="青山合作社", existing=(village, [spare_household, r.households[0]]))
    other_coop = make_cooperative(app, make, [other_village], 1, name="别村合作社")
    visitors.update(coop=own_coop.user, coop_other=other_coop.user)
    throwaway_user = make.team_member(other_village)
    with app.app_context():
        delivery = db.session.get(Delivery, r.delivery_id)
        deliveries.advance(None, delivery, r.now)
        db.session.commit()
        complaint = delivery_complaints.report(None, delivery, "两袋土豆压坏了", None, r.now)
        db.session.commit()
        run_id = db.session.scalar(select(AllocationRun.id).where(AllocationRun.round_id == r.round_ids[0]))
        offer = db.session.get(CampaignPackage, r.offer_id)
        visit = _visit(village.id, unit.id)
        payee = db.session.get(Household, r.households[1].id)
        payout = payouts.record_payout(None, payee, ledger.owed_fen(payee.id) // 2, "cash", "C1", r.now)
        batch = payouts.pay_village(None, village.id, "bank", r.now)
        statement_line = _statement_line(r.now)
        invoice = _issued_invoice(unit.id, r.now)
        db.session.add(CooperativeDeclaration(cooperative_id=own_coop.id, campaign_id=r.campaign_id, item_id=r.item_id,
                                              units=4))
        sanction = sanctions.pause_household(None, db.session.get(Household, paused_household.id), r.item_id, "培训", r.now)
        db.session.commit()
        county_token, _secret = api_tokens.create_token(db.session.get(User, visitors["county"].id), "matrix", r.now)
        card = SavedCard(unit_id=unit.id, payment_method_id="pm_world_card", brand="visa", last4="4242", exp_month=12,
                         exp_year=2034)
        db.session.add(card)
        db.session.commit()
        params = {
            "card_id": card.id,
            "payout_id": payout.id, "batch_id": batch.id, "fmt": "pdf",
            "adoption_id": 1, "transaction_id": db.session.scalar(select(LedgerTransaction.id).where(
                LedgerTransaction.kind == "goods_accepted", LedgerTransaction.household_id == r.households[0].id)),
            "visit_id": visit.id, "registration_id": visit.registrations[0].id, "attendance": "attended",
            "campaign_id": r.campaign_id, "pledge_id": db.session.scalar(select(Pledge.id)), "run_id": run_id,
            "household_id": spare_household.id, "round_id": r.round_ids[0], "offer_id": r.offer_id,
            "delivery_id": r.delivery_id, "complaint_id": complaint.id,
            "team_id": village.team_id, "unit_id": unit.id, "user_id": throwaway_user.id,
            "item_id": r.item_id, "package_id": offer.package_id,
            "township_id": village.township_id, "village_id": village.id,
            "name": "missing-photo.jpg", "code": "en", "filename": "css/app.css", "active": 1,
            "token": "not-a-real-calendar-token", "token_id": county_token.id,
            "table": "campaigns", "ext": "xlsx", "year": 2026, "month": "03",
            "kind": "a4", "supplier_id": r.households[0].id,
            "record_id": db.session.scalar(select(CollectionRecord.id).where(
                CollectionRecord.household_id == r.households[0].id)),
            "staff_offer_id": staff_offer_id, "member_id": member_id, "staff_box_id": staff_box_id,
            "notice_id": db.session.scalar(select(Notice.id).where(Notice.household_id == r.households[0].id)),
            "import_id": statement_line.import_id, "line_id": statement_line.id, "invoice_id": invoice.id,
            "cooperative_id": own_coop.id, "sanction_id": sanction.id, "step": "activate",
            "contract_id": active_contract(app, r.now, item_id=r.item_id, floor_price_fen=100, cooperative_id=own_coop.id),
        }
    return SimpleNamespace(visitors=visitors, params=params)


def _staff(app, unit_id, campaign_id, phone):
    """A person on the unit's roll and an offer of the unit: (offer id, member id, their visitor)."""
    with app.app_context():
        roll.add_staff(None, db.session.get(PartnerUnit, unit_id), f"职工 {phone}", utcnow())
        member = db.session.scalar(select(StaffMember).where(StaffMember.phone == phone))
        offer = StaffOffer(unit_id=unit_id, campaign_id=campaign_id, allowance_fen=30_000, per_person_limit=1,
                           deadline_at=utcnow() + timedelta(days=3), state="open", token=f"t{phone}")
        db.session.add(offer)
        db.session.commit()
        return offer.id, member.id, SimpleNamespace(id=member.user_id, role="staff")


def _staff_box(app, offer_id, delivery_id):
    """One box of the packed delivery is the own unit's staff member's."""
    with app.app_context():
        offer = db.session.get(StaffOffer, offer_id)
        delivery = db.session.get(Delivery, delivery_id)
        member = db.session.scalar(select(StaffMember).where(StaffMember.unit_id == offer.unit_id))
        choice = StaffChoice(offer=offer, member=member, address_id=delivery.address_id)
        staff_box = StaffBox(box=delivery.boxes[0], choice=choice)
        db.session.add(staff_box)
        db.session.commit()
        return staff_box.id


def _statement_line(now):
    """An uploaded bank statement with one credit nobody has matched."""
    statement = StatementImport(filename="工行.csv", preset_name="工行", uploaded_at=now, credit_count=1, new_count=1)
    db.session.add(statement)
    db.session.flush()
    line = StatementLine(import_id=statement.id, row_number=2, fingerprint="f" * 64, booked_on=now.date(), amount_fen=100,
                         memo="货款", state="unknown_reference")
    db.session.add(line)
    db.session.commit()
    return line


def _issued_invoice(unit_id, now):
    """The unit's invoice for its pledge, issued with a (tiny) PDF file."""
    pledge = db.session.scalar(select(Pledge).where(Pledge.unit_id == unit_id).order_by(Pledge.id))
    name = "0" * 32 + ".pdf"
    with open(os.path.join(invoice_files.folder(), name), "wb") as out:
        out.write(b"%PDF-1.4 matrix")
    invoice = Invoice(pledge_id=pledge.id, unit_id=unit_id, state="issued", title="示范单位", tax_number="91230000MB1234567X",
                      amount_fen=pledge.total_fen, requested_at=now, number="24232000000000000001", issued_on=now.date(),
                      issued_at=now, file_name=name, file_kind="pdf")
    db.session.add(invoice)
    db.session.commit()
    return invoice


def _household_user(app, household):
    with app.app_context():
        user = db.session.query(User).filter_by(household_id=household.id).one()
        return SimpleNamespace(id=user.id, role="household")


def _visit(village_id, unit_id):
    now = utcnow()
    starts = now + timedelta(days=10)
    visit = visits.create_visit(None, village_id, visits.VisitDetails(
        title="采摘", starts_at=starts, ends_at=starts + timedelta(hours=4), meeting_point="村委会", capacity=10,
        per_unit_limit=3, registration_deadline=starts - timedelta(days=1)), now)
    db.session.commit()
    visit_registrations.register(None, visit, unit_id, "王芳", "13800001111", now)
    db.session.commit()
    return db.session.get(Visit, visit.id)
