"""The county dashboard's figures, exactly, on a small county (see support.small_county)."""

from datetime import date, timedelta

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.localtime import period_of
from courtyard.models import Delivery, Visit, VisitRegistration
from courtyard.services.dashboards.dashboard_county import DashboardFilters, county_dashboard
from courtyard.services.deliveries import deliveries, delivery_complaints
from courtyard.services.visits import visit_registrations, visits
from tests.dashboards.support import filters, small_county
from tests.deliveries.test_packing_and_delivery import packed
from tests.ledger.support import accept
from tests.visits.support import NOW as VISIT_NOW, STARTS, make_visit, register


def figures(s):
    return (s.reached, s.earned_fen, s.average_fen, s.lowest_fen, s.median_fen, s.highest_fen, s.gini)


def test_income_spread_overall_by_village_and_by_tier(app, make):
    """Four households reached earning ¥60, ¥30, ¥15 and ¥45: average and median ¥37.50, Gini 0.25; by village
    and by tier each group has its own lowest, median, highest and Gini. The idle household is not counted."""
    c = small_county(app, make)
    with app.app_context():
        d = county_dashboard(filters(), c.now)
    assert figures(d.overall) == (4, 15000, 3750, 1500, 3750, 6000, 0.25)
    assert [(s.label, *figures(s)) for s in d.by_village] == [
        ("白水镇 西村", 1, 4500, 4500, 4500, 4500, 4500, 0.0),
        ("青山镇 东村", 3, 10500, 3500, 1500, 3000, 6000, 0.2857),
    ]
    assert [(s.key, *figures(s)) for s in d.by_tier] == [
        ("poor", 2, 9000, 4500, 3000, 4500, 6000, 0.1667),
        ("monitored", 1, 4500, 4500, 4500, 4500, 4500, 0.0),
        ("lifted", 1, 1500, 1500, 1500, 1500, 1500, 0.0),
    ]


def test_money_and_funding_progress(app, make):
    """The unit's ¥504 pledge is pledged and received in December; 3 of the 10 packages aimed for: 30 %."""
    c = small_county(app, make)
    with app.app_context():
        d = county_dashboard(filters(), c.now)
    assert (d.money.pledged_fen, d.money.captured_fen, d.money.refunded_fen) == (50400, 50400, 0)
    assert [(p.id, p.packages, p.pledged_fen, p.percent) for p in d.campaigns] == [(c.campaign_id, 3, 50400, 30)]


def test_filters_narrow_by_township_village_campaign_and_period(app, make):
    """A township or village keeps only its households; another campaign or another month shows nothing."""
    c = small_county(app, make)
    accept(app, c.households["first"].id, c.campaign_id, c.item_id, 10, at=c.now - timedelta(days=40))  # October
    with app.app_context():
        township = county_dashboard(filters(township_id=c.east.township_id), c.now)
        village = county_dashboard(filters(village_id=c.west.id), c.now)
        other_campaign = county_dashboard(filters(campaign_id=c.campaign_id + 1000), c.now)
        november = county_dashboard(DashboardFilters(period=period_of("month", date(2026, 11, 1))), c.now)
        october = county_dashboard(DashboardFilters(period=period_of("month", date(2026, 10, 1))), c.now)
    assert figures(township.overall)[:2] == (3, 10500)
    assert [s.label for s in township.by_village] == ["青山镇 东村"]
    assert figures(village.overall)[:2] == (1, 4500)
    assert other_campaign.overall.reached == 0 and other_campaign.campaigns == ()
    assert other_campaign.money.captured_fen == 0
    assert november.overall.reached == 0 and november.money.pledged_fen == 0
    assert figures(october.overall)[:2] == (1, 15000)


def test_deliveries_on_time_and_complaints(app, make):
    """One delivery late and one problem reported and still open: 0 of 1 on time, 1 open; once resolved, 1 closed."""
    r = packed(app, make)
    month = filters()
    with app.app_context():
        delivery = db.session.get(Delivery, r.delivery_id)
        deliveries.advance(None, delivery, r.now)
        deliveries.advance(None, delivery, delivery.promised_by + timedelta(minutes=1))
        complaint = delivery_complaints.report(None, delivery, "鸡蛋破了", None, delivery.delivered_at)
        late = county_dashboard(month, r.now).deliveries
        delivery_complaints.resolve(None, complaint, "note", "已致歉", delivery.delivered_at + timedelta(hours=2))
        resolved = county_dashboard(month, r.now).deliveries
    assert (late.delivered, late.on_time, late.percent, late.complaints_open, late.complaints_closed) == (1, 0, 0, 1, 0)
    assert (resolved.complaints_open, resolved.complaints_closed) == (0, 1)


def test_visits_held_and_attendance(app, make):
    """A visit with two confirmed representatives, one came and one did not: 1 held, 50 % attendance."""
    village = make.village()
    unit = make.unit()
    visit_id = make_visit(app, village)
    register(app, visit_id, unit.id, "刘洋", "13800000001")
    register(app, visit_id, unit.id, "陈静", "13800000002")
    with app.app_context():
        came, stayed_away = db.session.scalars(select(VisitRegistration).order_by(VisitRegistration.id)).all()
        visit_registrations.mark_attendance(None, came, "attended", STARTS)
        visit_registrations.mark_attendance(None, stayed_away, "no_show", STARTS)
        visits.finish(None, db.session.get(Visit, visit_id), STARTS + timedelta(hours=5))
        september = DashboardFilters(period=period_of("month", STARTS.date()))
        seen = county_dashboard(september, VISIT_NOW).visits
        elsewhere = county_dashboard(DashboardFilters(period=september.period, village_id=village.id + 1000),
                                     VISIT_NOW).visits
    assert (seen.held, seen.registered, seen.attended, seen.no_show, seen.attendance_percent) == (1, 2, 1, 1, 50)
    assert (elsewhere.held, elsewhere.registered, elsewhere.attendance_percent) == (0, 0, None)
