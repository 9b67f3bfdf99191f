"""The inbox's rules: unread counts, marking read, and saving channel choices.

Queries take a scoped select from :func:`courtyard.access.notices_visible_to`, so what one user
reads and marks is only ever their own.
"""

from sqlalchemy import func, select, update

from courtyard.extensions import db
from courtyard.messages import preferences
from courtyard.models import Notice


def unread_count(visible):
    return db.session.scalar(select(func.count()).select_from(
        visible.where(Notice.read_at.is_(None)).order_by(None).subquery()))


def mark_read(notice, now):
    if notice.read_at is None:
        notice.read_at = now
        db.session.commit()


def mark_all_read(visible, now):
    ids = visible.where(Notice.read_at.is_(None)).with_only_columns(Notice.id)
    db.session.execute(update(Notice).where(Notice.id.in_(ids)).values(read_at=now)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def save_choices(actor, chosen, now, *, user_id=None, household_id=None):
    for kind, channels in chosen.items():
        preferences.set_for(actor, kind, channels, user_id=user_id, household_id=household_id, now=now)
    db.session.commit()
