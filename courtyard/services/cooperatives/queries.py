"""What a cooperative's pages list: its members, its declarations, its members' allocation lines."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from courtyard.extensions import db
from courtyard.models import (
    AllocationLine, AllocationRun, Campaign, CapacityDeclaration, CooperativeDeclaration, CooperativeMember, Household,
    PurchaseContract, User, Village,
)


def member_ids(cooperative_id):
    """A select of the ids of the cooperative's member households (for scoped queries)."""
    return select(CooperativeMember.household_id).where(CooperativeMember.cooperative_id == cooperative_id)


def members_of(cooperative_id):
    """``[(CooperativeMember, Household)]`` with each household's village, by village and name."""
    return db.session.execute(
        select(CooperativeMember, Household).join(Household, Household.id == CooperativeMember.household_id)
        .join(Village, Village.id == Household.village_id)
        .where(CooperativeMember.cooperative_id == cooperative_id)
        .options(joinedload(Household.village).joinedload(Village.township))
        .order_by(Village.name, Household.head_name, Household.id)).all()


def declarations_of(cooperative_id):
    return db.session.scalars(select(CooperativeDeclaration).where(
        CooperativeDeclaration.cooperative_id == cooperative_id)
        .options(joinedload(CooperativeDeclaration.campaign), joinedload(CooperativeDeclaration.item))
        .order_by(CooperativeDeclaration.recorded_at.desc(), CooperativeDeclaration.id.desc())).all()


def contracts_of(cooperative_id):
    return db.session.scalars(select(PurchaseContract).where(PurchaseContract.cooperative_id == cooperative_id)
                              .order_by(PurchaseContract.id.desc())).all()


def allocation_lines(cooperative_id, campaign_id):
    """``[(AllocationRun, AllocationLine)]`` of the members in the campaign's published runs, by run and household."""
    return db.session.execute(
        select(AllocationRun, AllocationLine).join(AllocationLine, AllocationLine.run_id == AllocationRun.id)
        .where(AllocationRun.campaign_id == campaign_id, AllocationRun.state == "published",
               AllocationLine.household_id.in_(member_ids(cooperative_id)))
        .options(joinedload(AllocationLine.household), joinedload(AllocationLine.item))
        .order_by(AllocationRun.id, AllocationLine.household_id, AllocationLine.item_id)).all()


def campaigns_declared(cooperative_id):
    """The campaigns the cooperative declared for, newest first."""
    return db.session.scalars(select(Campaign).where(Campaign.id.in_(
        select(CooperativeDeclaration.campaign_id).where(CooperativeDeclaration.cooperative_id == cooperative_id)))
        .order_by(Campaign.id.desc())).all()


def users_of(cooperative_id):
    return db.session.scalars(select(User).where(User.cooperative_id == cooperative_id).order_by(User.display_name)).all()


def contracted_parts(cooperative_id, campaign_id):
    """``{(household_id, item_id): contract_id}`` of members' declarations made under a contract."""
    return {(d.household_id, d.item_id): d.contract_id for d in db.session.scalars(select(CapacityDeclaration).where(
        CapacityDeclaration.cooperative_id == cooperative_id, CapacityDeclaration.campaign_id == campaign_id,
        CapacityDeclaration.contract_id.is_not(None)))}
