"""The demo county's visits: one coming up with hosts and registrations, one done with attendance."""

from courtyard.demo.base import build_demo, build_demo_campaigns
from courtyard.demo.visits import build_demo_visits
from courtyard.extensions import db
from courtyard.models import Visit
from courtyard.models.types import utcnow
from courtyard.services.visits.visit_hosts import host_fees


def test_demo_visits_show_the_feature_and_are_added_once(app):
    """Does the demo hold an upcoming visit with hosts and registrations and a done one with host fees, once?"""
    with app.app_context():
        build_demo()
        build_demo_campaigns(utcnow())
        assert build_demo_visits(utcnow()) is True
        assert build_demo_visits(utcnow()) is False
        done, upcoming = db.session.query(Visit).order_by(Visit.starts_at).all()
        assert done.state == "done" and host_fees(done)
        assert any(r.attendance == "no_show" for r in done.registrations)
        assert upcoming.state == "scheduled" and upcoming.hosts and upcoming.seats_taken == 5
        assert sum(h.visitors for h in upcoming.hosts) == 5
