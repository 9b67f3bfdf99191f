"""Building visits for tests: plain ids back, no session held open."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from courtyard.extensions import db
from courtyard.models import PartnerUnit, Visit, VisitRegistration
from courtyard.services.visits import visit_registrations, visits

NOW = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
STARTS = NOW + timedelta(days=10)


def details(**overrides):
    values = dict(title="秋收采摘日", starts_at=STARTS, ends_at=STARTS + timedelta(hours=6), meeting_point="村委会门口",
                  capacity=3, per_unit_limit=3, registration_deadline=STARTS - timedelta(days=1),
                  directions="高速青山出口下，沿路牌走 5 公里", activities=("picking", "farm_meal"), fee_fen=0,
                  meal_notes="农家饭", safety_notes="穿防滑鞋")
    values.update(overrides)
    return visits.VisitDetails(**values)


def make_visit(app, village, now=NOW, **overrides):
    with app.app_context():
        visit = visits.create_visit(None, village.id, details(**overrides), now)
        return visit.id


def unit_with_mail(app, make, name=None, email=None):
    unit = make.unit(name=name)
    with app.app_context():
        row = db.session.get(PartnerUnit, unit.id)
        row.contact_email = email or f"unit{unit.id}@example.cn"
        db.session.commit()
    return unit


def register(app, visit_id, unit_id, name, phone, now=NOW):
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        registration = visit_registrations.register(None, visit, unit_id, name, phone, now)
        return SimpleNamespace(id=registration.id, state=registration.state,
                               position=visit_registrations.waitlist_position(registration))


def states(app, visit_id):
    """``{name: (state, waitlist position)}`` and the seats taken."""
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        db.session.refresh(visit)
        return ({r.name: (r.state, visit_registrations.waitlist_position(r)) for r in visit.registrations},
                visit.seats_taken)


def with_registration(app, registration_id, action, *args):
    with app.app_context():
        registration = db.session.get(VisitRegistration, registration_id)
        return action(None, registration, *args)
