"""The demo county has 县第一中学's staff offer open, with a handful of teachers who chose."""

from courtyard.extensions import db
from courtyard.models import StaffChoice, StaffOffer
from courtyard.models.types import utcnow
from courtyard.demo.base import build_demo, build_demo_campaigns
from courtyard.demo.staff_offer import TEACHERS, build_demo_staff_offer


def test_the_demo_school_has_an_open_staff_offer_with_choices_and_a_staff_login(app):
    """Is the offer open, four of six chosen, a second run adding nothing, the login a teacher on the roll?"""
    with app.app_context():
        build_demo()
        build_demo_campaigns(utcnow())
        phones = build_demo_staff_offer(utcnow())
        assert build_demo_staff_offer(utcnow()) == phones == [TEACHERS[0][1]]
        offer = db.session.query(StaffOffer).one()
        assert offer.state == "open" and offer.unit.name == "县第一中学"
        assert db.session.query(StaffChoice).count() == 4
