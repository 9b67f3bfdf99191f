"""The demo county with its packed, traced round, for the trace tests."""

from sqlalchemy import select

from courtyard.demo.base import build_demo, build_demo_campaigns
from courtyard.extensions import db
from courtyard.models import Box, DeliveryRound
from courtyard.models.types import utcnow


def load_demo(app):
    """Build the demo; returns the trace codes of the packed round's boxes."""
    with app.app_context():
        build_demo()
        build_demo_campaigns(utcnow())
        codes = db.session.scalars(select(Box.trace_code).join(Box.delivery).join(DeliveryRound)
                                   .where(DeliveryRound.state == "packed").order_by(Box.id)).all()
        db.session.remove()
    return codes
