"""Who may see what: every role check and every scope check lives here.

Views never compare roles or villages themselves. They declare the roles with
``role_required`` and fetch scoped objects through the ``*_in_scope`` helpers,
which answer 404 for anything outside the user's village, unit or household,
so that other villages' records are not even confirmed to exist.
"""

from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from courtyard.extensions import db, login_manager
from courtyard.models import (
    AllocationLine, AllocationRun, ApiToken, Campaign, CollectionDay, CollectionRecord, Cooperative, CooperativeDeclaration,
    CooperativeMember, Delivery, DeliveryComplaint, DeliveryRound, Household, Invoice, LedgerTransaction, Notice, Package,
    PartnerUnit, PayoutBatch, Pledge, ProduceItem, SavedCard, User, STAFF_ROLE, StaffBox, StaffMember, StaffOffer, Visit,
    VisitHost, VisitRegistration, unit_village,
)

# Campaign states anyone may see; drafts are the county's alone.
PUBLIC_CAMPAIGN_STATES = ("open", "funded", "failed", "fulfilling", "done")

HOME_ENDPOINTS = {
    "county": "county.home",
    "partner": "partner.home",
    "team": "team.home",
    "household": "household.home",
    "staff": "staff.home",
    "cooperative": "cooperative.home",
}


def role_required(*roles):
    """Anonymous visitors go to the login page; other roles get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(404 if current_user.role == STAFF_ROLE else 403)  # staff are not told other pages exist
            return view(*args, **kwargs)

        return wrapped

    return decorator


def households_visible_to(user):
    """A select of the households this user may see."""
    query = select(Household)
    if user.role == "county":
        return query
    if user.role == "team":
        return query.where(Household.village_id == user.work_team.village_id)
    if user.role == "household":
        return query.where(Household.id == user.household_id)
    if user.role == "cooperative":
        return query.where(Household.id.in_(select(CooperativeMember.household_id).where(
            CooperativeMember.cooperative_id == user.cooperative_id)))
    return query.where(False)


def cooperative_of_user():
    """The current cooperative user's own cooperative."""
    return db.session.get(Cooperative, current_user.cooperative_id)


def cooperative_campaign_in_scope(campaign_id):
    """A campaign the current cooperative declared for; any other is 404 (its allocations are not the cooperative's)."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.id == campaign_id, Campaign.id.in_(
        select(CooperativeDeclaration.campaign_id).where(
            CooperativeDeclaration.cooperative_id == current_user.cooperative_id))))
    if campaign is None:
        abort(404)
    return campaign


def campaigns_visible_to(user):
    """A select of the campaigns this user may see: the county every one, others the public ones."""
    query = select(Campaign)
    if user.role == "county":
        return query
    return query.where(Campaign.state.in_(PUBLIC_CAMPAIGN_STATES))


def campaign_in_scope(campaign_id):
    """The campaign, if the current user may see it (drafts: the county only); else 404."""
    campaign = db.session.scalar(campaigns_visible_to(current_user).where(Campaign.id == campaign_id))
    if campaign is None:
        abort(404)
    return campaign


def packages_visible_to(user):
    """A select of catalogue packages: the county every one, others those still on offer."""
    query = select(Package)
    if user.role == "county":
        return query
    return query.where(Package.active.is_(True))


def api_token_in_scope(token_id):
    """One of the current user's own API tokens; anyone else's is 404."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    return token


def allocation_runs_visible_to(user):
    """A select of the allocation runs this user may see.

    The county sees every run; a work team its own village's runs, drafts too; a household its own
    village's published runs; a partner unit the published runs of the villages it is paired with.
    """
    query = select(AllocationRun)
    if user.role == "county":
        return query
    if user.role == "team":
        return query.where(AllocationRun.village_id == user.work_team.village_id)
    published = query.where(AllocationRun.state == "published")
    if user.role == "household":
        return published.where(AllocationRun.village_id == user.household.village_id)
    if user.role == "partner":
        paired = select(unit_village.c.village_id).where(unit_village.c.unit_id == user.partner_unit_id)
        return published.where(AllocationRun.village_id.in_(paired))
    return query.where(False)


def pledges_visible_to(user):
    """A select of the pledges this user may see: the county every one, a partner unit its own."""
    query = select(Pledge)
    if user.role == "county":
        return query
    if user.role == "partner":
        return query.where(Pledge.unit_id == user.partner_unit_id)
    return query.where(False)


def household_in_scope(household_id):
    """The household, if the current user may see it; else 404."""
    household = db.session.scalar(
        households_visible_to(current_user).where(Household.id == household_id)
    )
    if household is None:
        abort(404)
    return household


def team_village_id():
    """The village of the current team member."""
    return current_user.work_team.village_id


def allocation_run_in_scope(run_id):
    """The allocation run, if the current user is the county or its village's work team; else 404."""
    run = db.session.get(AllocationRun, run_id)
    if run is None or current_user.role not in ("county", "team"):
        abort(404)
    if current_user.role == "team" and run.village_id != team_village_id():
        abort(404)
    return run


def unit_in_scope(unit_id):
    """The partner unit, if the current user is the county or one of its users; else 404."""
    unit = db.session.get(PartnerUnit, unit_id)
    if unit is None or (current_user.role != "county" and current_user.partner_unit_id != unit_id):
        abort(404)
    return unit


def pledge_in_scope(pledge_id):
    """The pledge, if the current user is the county or a user of the pledging unit; else 404."""
    pledge = db.session.get(Pledge, pledge_id)
    if pledge is None or (current_user.role != "county" and current_user.partner_unit_id != pledge.unit_id):
        abort(404)
    return pledge


def invoice_in_scope(invoice_id):
    """An invoice, for the county or a user of the unit it is made out for; else 404."""
    invoice = db.session.get(Invoice, invoice_id)
    if invoice is None or not (current_user.role == "county" or (
            current_user.role == "partner" and current_user.partner_unit_id == invoice.unit_id)):
        abort(404)
    return invoice


def saved_card_in_scope(card_id):
    """A card the current partner user's unit saved and has not removed; else 404."""
    card = db.session.get(SavedCard, card_id)
    if card is None or card.removed_at is not None or current_user.partner_unit_id != card.unit_id:
        abort(404)
    return card


def visits_visible_to(user):
    """A select of the visits this organiser may manage: the county all, a work team its village's."""
    query = select(Visit)
    if user.role == "county":
        return query
    if user.role == "team":
        return query.where(Visit.village_id == user.work_team.village_id)
    return query.where(False)


def visits_on_calendar_of(user):
    """A select of the visits on a user's calendar: organisers theirs; a unit those it registered for;
    a household those it hosts."""
    if user.role in ("county", "team"):
        return visits_visible_to(user)
    if user.role == "partner":
        return select(Visit).where(select(VisitRegistration.id).where(
            VisitRegistration.visit_id == Visit.id, VisitRegistration.unit_id == user.partner_unit_id,
            VisitRegistration.state.in_(("confirmed", "waitlisted"))).exists())
    if user.role == "household":
        return select(Visit).where(select(VisitHost.id).where(
            VisitHost.visit_id == Visit.id, VisitHost.household_id == user.household_id).exists())
    return select(Visit).where(False)


def visit_in_scope(visit_id):
    """The visit, if the current user organises it (county, or its village's work team); else 404."""
    visit = db.session.scalar(visits_visible_to(current_user).where(Visit.id == visit_id))
    if visit is None:
        abort(404)
    return visit


def visit_registration_in_scope(registration_id):
    """A representative's registration, if the current user is a user of the registering unit; else 404."""
    return _of_my_unit(VisitRegistration, registration_id)


def delivery_round_in_scope(round_id):
    """The delivery round, for the county; for a team only if its village collects in it; else 404."""
    round_ = db.session.get(DeliveryRound, round_id)
    if round_ is None or current_user.role not in ("county", "team"):
        abort(404)
    if current_user.role == "team" and not db.session.scalar(select(CollectionDay.id).where(
            CollectionDay.round_id == round_.id, CollectionDay.village_id == team_village_id())):
        abort(404)
    return round_


def cooperative_members():
    """A select of the ids of the current cooperative user's member households."""
    return select(CooperativeMember.household_id).where(CooperativeMember.cooperative_id == current_user.cooperative_id)


def cooperative_rounds():
    """A select of the ids of the delivery rounds in which the current cooperative's members are to bring goods."""
    return select(AllocationRun.round_id).join(AllocationLine, AllocationLine.run_id == AllocationRun.id).where(
        AllocationRun.state == "published", AllocationRun.round_id.is_not(None),
        AllocationLine.household_id.in_(cooperative_members()))


def cooperative_round_in_scope(round_id):
    """A delivery round in which the current cooperative's members are to bring goods; any other is 404."""
    round_ = db.session.scalar(select(DeliveryRound).where(DeliveryRound.id == round_id,
                                                           DeliveryRound.id.in_(cooperative_rounds())))
    if round_ is None:
        abort(404)
    return round_


def deliveries_visible_to(user):
    """A select of the deliveries this user may see: all for the county, its own for a unit."""
    query = select(Delivery)
    if user.role == "county":
        return query
    if user.role == "partner":
        return query.where(Delivery.unit_id == user.partner_unit_id)
    return query.where(False)


def collection_days_visible_to(user):
    """A select of collection days: the county all; a work team and a household their own village's."""
    query = select(CollectionDay)
    if user.role == "county":
        return query
    if user.role == "team":
        return query.where(CollectionDay.village_id == user.work_team.village_id)
    if user.role == "household":
        return query.where(CollectionDay.village_id == user.household.village_id)
    return query.where(False)


def delivery_in_scope(delivery_id):
    """The delivery, if the current user is the county or a user of the unit it goes to; else 404."""
    delivery = db.session.scalar(deliveries_visible_to(current_user).where(Delivery.id == delivery_id))
    if delivery is None:
        abort(404)
    return delivery


def complaint_in_scope(complaint_id):
    """A reported delivery problem, if its delivery is in scope; else 404."""
    complaint = db.session.get(DeliveryComplaint, complaint_id)
    if complaint is None:
        abort(404)
    delivery_in_scope(complaint.delivery_id)
    return complaint


def payout_in_scope(transaction_id):
    """A payout to a household the current user may see (county: any; team: its village); else 404."""
    payout = db.session.get(LedgerTransaction, transaction_id)
    if payout is None or payout.kind != "payout" or current_user.role not in ("county", "team"):
        abort(404)
    household_in_scope(payout.household_id)
    return payout


def earning_in_scope(transaction_id):
    """Goods accepted from, or a hosting fee owed to, a household the current user may see (county: any;
    team: its village); else 404."""
    earning = db.session.get(LedgerTransaction, transaction_id)
    if earning is None or earning.kind not in ("goods_accepted", "hosting_fee") or earning.household_id is None \
            or current_user.role not in ("county", "team"):
        abort(404)
    household_in_scope(earning.household_id)
    return earning


def payout_batch_in_scope(batch_id):
    """A payout batch of the current team member's village, or any for the county; else 404."""
    batch = db.session.get(PayoutBatch, batch_id)
    if batch is None or current_user.role not in ("county", "team"):
        abort(404)
    if current_user.role == "team" and batch.village_id != team_village_id():
        abort(404)
    return batch


def batch_in_scope(round_id, household_id, item_id):
    """``(round, household, item)`` of a batch record the current user may write; else 404.

    A work team its village's households, a household itself; only for goods the household was allocated
    or brought in that round.
    """
    household = household_in_scope(household_id)
    if current_user.role not in ("team", "household"):
        abort(404)
    round_ = db.session.get(DeliveryRound, round_id)
    allocated = db.session.scalar(select(AllocationLine.id).join(AllocationRun).where(
        AllocationRun.round_id == round_id, AllocationRun.state == "published", AllocationLine.household_id == household.id,
        AllocationLine.item_id == item_id, AllocationLine.units > 0).limit(1))
    brought = db.session.scalar(select(CollectionRecord).where(
        CollectionRecord.round_id == round_id, CollectionRecord.household_id == household.id,
        CollectionRecord.item_id == item_id))
    if round_ is None or not (allocated or brought):
        abort(404)
    return round_, household, db.session.get(ProduceItem, item_id)


def collection_record_in_scope(record_id):
    """A collection record, for the county or the work team of the household's village; else 404."""
    record = db.session.get(CollectionRecord, record_id)
    if record is None or current_user.role not in ("county", "team"):
        abort(404)
    if current_user.role == "team" and record.household.village_id != team_village_id():
        abort(404)
    return record


def notices_visible_to(user):
    """A select of the inbox of this user: a household's own messages, a unit's, everyone else's own."""
    query = select(Notice).where(Notice.in_inbox.is_(True))
    if user.role == "household":
        return query.where(Notice.household_id == user.household_id)
    if user.role == "partner":
        return query.where(Notice.partner_unit_id == user.partner_unit_id)
    return query.where(Notice.user_id == user.id)


def notice_in_scope(notice_id):
    """A message in the current user's inbox; else 404."""
    notice = db.session.scalar(notices_visible_to(current_user).where(Notice.id == notice_id))
    if notice is None:
        abort(404)
    return notice


def sees_numbers_of(user, village_id):
    """Whether ``user`` may read the mobile numbers of messages sent for ``village_id`` (its own team)."""
    return user.role == "team" and village_id is not None and user.work_team.village_id == village_id


def current_staff_member():
    """The roll entry of the signed-in staff member; 404 for anyone else or anyone taken off the roll."""
    member = None
    if current_user.is_authenticated and current_user.role == STAFF_ROLE:
        member = db.session.scalar(select(StaffMember).where(StaffMember.user_id == current_user.id,
                                                             StaffMember.active.is_(True)))
    if member is None:
        abort(404)
    return member


def staff_offer_for_member(offer_id):
    """A staff offer of the signed-in staff member's own unit; else 404."""
    member = current_staff_member()
    offer = db.session.get(StaffOffer, offer_id)
    if offer is None or offer.unit_id != member.unit_id:
        abort(404)
    return member, offer


def _of_my_unit(model, record_id, unit_of=lambda record: record.unit_id):
    """A record of the signed-in coordinator's unit (``unit_of`` reads its unit id); else 404."""
    record = db.session.get(model, record_id)
    if record is None or current_user.role != "partner" or unit_of(record) != current_user.partner_unit_id:
        abort(404)
    return record


def staff_offer_in_scope(offer_id):
    """A staff offer of the signed-in coordinator's unit; else 404 (staff never reach it: role_required)."""
    return _of_my_unit(StaffOffer, offer_id)


def staff_member_in_scope(member_id):
    """A person on the signed-in coordinator's unit's roll; else 404."""
    return _of_my_unit(StaffMember, member_id)


def staff_box_in_scope(staff_box_id):
    """A person's box of the signed-in coordinator's unit; else 404."""
    return _of_my_unit(StaffBox, staff_box_id, lambda staff_box: staff_box.choice.offer.unit_id)


@login_manager.user_loader
def load_user(session_id):
    """The user of a session or remember cookie (``"<id>:<session version>"``), unless its version has passed."""
    user_id, _, version = str(session_id).partition(":")
    if not user_id.isdigit() or version and not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.locked or int(version or 0) != (user.session_version or 0):
        return None
    return user
