"""Units rate the boxes delivered to them: 1–5 stars and a comment, once a box, optional.

Only a box of one of the unit's own deliveries that has arrived (delivered or confirmed) may be
rated. Services flush; the caller commits.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Box, BoxRating
from courtyard.services.operations import audit

RATEABLE_STATES = ("delivered", "confirmed")


def rate_box(actor, delivery, box_id, stars, comment, now):
    box = db.session.get(Box, box_id)
    if box is None or box.delivery_id != delivery.id:
        raise DomainError(_l("Choose a box of this delivery."), "box")
    if delivery.state not in RATEABLE_STATES:
        raise DomainError(_l("A box can be rated once it has arrived."), "box")
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise DomainError(_l("Choose from 1 to 5 stars."), "stars")
    rating = db.session.scalar(select(BoxRating).where(BoxRating.box_id == box.id)) or BoxRating(box_id=box.id)
    rating.stars, rating.comment = stars, (comment or "").strip()[:500]
    rating.rated_by_id, rating.rated_at = getattr(actor, "id", None), now
    db.session.add(rating)
    db.session.flush()
    audit.record(actor, "box_rated", "box", box.id, stars=stars)
    return rating


def ratings_of(delivery):
    """``{box_id: BoxRating}`` of a delivery's boxes."""
    return {r.box_id: r for r in db.session.scalars(select(BoxRating).join(Box).where(Box.delivery_id == delivery.id))}
