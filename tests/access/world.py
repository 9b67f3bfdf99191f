"""Two of everything: the visitors of the route matrix and the objects its URLs point at.

"Own" objects belong to the first village, unit and household; the "other" visitors are a team
member of the second village, a user of a second unit and a second household, who must not reach them.
"""

from datetime import timedelta
from types import SimpleNamespace

from courtyard.extensions import db
from courtyard.models import Household, Pledge, User
from courtyard.models import Visit
from courtyard.models.types import utcnow
from courtyard.services import allocation_runs, pledges, supply, visit_registrations, visits
from courtyard.services.pledges import LineInput
from tests.support.campaigns import NOW, make_buyer, make_campaign


def build_world(app, make):
    village, other_village = make.village(), make.village()
    campaign, unit = make_campaign(app, cap=100), make_buyer(app)
    other_unit = make.unit()
    own_household = make.household(village, with_pin=True)
    spare_household = make.household(village)
    visitors = {
        "anonymous": None,
        "county": make.admin(),
        "team": make.team_member(village),
        "team_other": make.team_member(other_village),
        "partner": make.partner_user(unit),
        "partner_other": make.partner_user(other_unit),
        "household": _household_user(app, own_household),
        "household_other": _household_user(app, make.household(other_village, with_pin=True)),
    }
    throwaway_user = make.team_member(other_village)
    with app.app_context():
        pledge = pledges.create_pledge(None, unit.id, campaign.id,
                                       [LineInput(campaign.offer_ids[0], unit.address_ids[0], 3)], "transfer", NOW)
        pledges.record_transfer(None, db.session.get(Pledge, pledge.id), pledge.total_fen, "B1", NOW, NOW)
        offer_item = pledge.lines[0].offer.package.lines[0]
        supply.record(None, db.session.get(Household, own_household.id), campaign.id, offer_item.item_id, 10, NOW)
        db.session.commit()
        run = allocation_runs.create_run(None, campaign.id, village.id, NOW)
        allocation_runs.publish(None, run, NOW)
        db.session.commit()
        visit = _visit(village.id, unit.id)
        params = {
            "visit_id": visit.id, "registration_id": visit.registrations[0].id, "attendance": "attended",
            "campaign_id": campaign.id, "pledge_id": pledge.id, "run_id": run.id, "household_id": spare_household.id,
            "team_id": village.team_id, "unit_id": unit.id, "user_id": throwaway_user.id,
            "item_id": offer_item.item_id, "package_id": pledge.lines[0].offer.package_id,
            "township_id": village.township_id, "village_id": village.id,
            "name": "missing-photo.jpg", "code": "en", "filename": "css/app.css", "active": 1,
            "token": "not-a-real-calendar-token",
        }
    return SimpleNamespace(visitors=visitors, params=params)


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
    visit_registrations.register(None, visit, unit_id, "王芳", "13800001111", now)
    return db.session.get(Visit, visit.id)
