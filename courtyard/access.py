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
    AllocationRun, CollectionDay, Delivery, DeliveryComplaint, DeliveryRound, Household, PartnerUnit, Pledge, User,
)

HOME_ENDPOINTS = {
    "county": "county.home",
    "partner": "partner.home",
    "team": "team.home",
    "household": "household.home",
}


def role_required(*roles):
    """Anonymous visitors go to the login page; other roles get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
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


def delivery_round_in_scope(round_id):
    """The delivery round, for the county; for a team only if its village collects in it; else 404."""
    round_ = db.session.get(DeliveryRound, round_id)
    if round_ is None or current_user.role not in ("county", "team"):
        abort(404)
    if current_user.role == "team" and not db.session.scalar(select(CollectionDay.id).where(
            CollectionDay.round_id == round_.id, CollectionDay.village_id == team_village_id())):
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


@login_manager.user_loader
def load_user(user_id):
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.locked:
        return None
    return user
