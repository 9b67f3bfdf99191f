"""Two villages, each with its work team, partner unit, household and calendar events, for the scope tests."""

from datetime import timedelta
from types import SimpleNamespace

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.models import AllocationRun, Campaign, Pledge
from courtyard.models.types import utcnow
from tests.support.campaigns import make_campaign



def month_of(moment):
    return moment.astimezone(LOCAL_ZONE).strftime("%Y-%m")


def build_world(app, make):
    now = utcnow().replace(microsecond=0)
    a, b = make.village("甲村"), make.village("乙村")
    unit_a, unit_b = make.unit("甲单位", villages=[a]), make.unit("乙单位", villages=[b])
    public = make_campaign(app, around=now)
    draft = make_campaign(app, around=now, state="draft")
    with app.app_context():
        db.session.get(Campaign, public.id).title = "秋收公开活动"
        db.session.get(Campaign, draft.id).title = "内部草稿活动"
        runs = [AllocationRun(campaign_id=public.id, village_id=v.id, state="published", published_at=now, summary={})
                for v in (a, b)]
        pledges = [Pledge(campaign_id=public.id, unit_id=u.id, method="transfer", state="awaiting_transfer",
                          total_fen=16800, reference=ref, created_at=now, transfer_due_at=now + timedelta(hours=1))
                   for u, ref in ((unit_a, "CYA0001"), (unit_b, "CYB0002"))]
        db.session.add_all(runs + pledges)
        db.session.commit()
        run_ids = [run.id for run in runs]
    return SimpleNamespace(
        now=now, a=a, b=b, public=public, draft=draft, run_a=run_ids[0], run_b=run_ids[1],
        admin=make.admin(), team_a=make.team_member(a), team_b=make.team_member(b),
        partner_a=make.partner_user(unit_a), partner_b=make.partner_user(unit_b),
        house_a=make.household(a, name="甲户", with_pin=True), house_b=make.household(b, name="乙户", with_pin=True),
    )
