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
from courtyard.models import AllocationRun, Household, LedgerTransaction, PartnerUnit, PayoutBatch, Pledge, User

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


def payout_in_scope(transaction_id):
    """A payout to a household the current user may see (county: any; team: its village); else 404."""
    payout = db.session.get(LedgerTransaction, transaction_id)
    if payout is None or payout.kind != "payout" or current_user.role not in ("county", "team"):
        abort(404)
    household_in_scope(payout.household_id)
    return payout


def payout_batch_in_scope(batch_id):
    """A payout batch of the current team member's village, or any for the county; else 404."""
    batch = db.session.get(PayoutBatch, batch_id)
    if batch is None or current_user.role not in ("county", "team"):
        abort(404)
    if current_user.role == "team" and batch.village_id != team_village_id():
        abort(404)
    return batch


@login_manager.user_loader
def load_user(user_id):
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.locked:
        return None
    return user
