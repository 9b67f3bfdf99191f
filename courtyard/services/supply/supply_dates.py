"""A household's allocated supplies grouped by the date it brings them: upcoming first, past apart.

The date is the village's collection day of the line's delivery round (or, for a run without a
collection day yet, the round's delivery day). A date is past once its collection is finished or
its round has moved on from "allocated".
"""

from typing import NamedTuple

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.models import CollectionDay


class SupplyDate(NamedTuple):
    """The lines a household brings on one date, and when and where if known."""

    on: object  # a date, or None when not yet scheduled
    day: object  # the CollectionDay, or None
    lines: list


def _is_past(run, day):
    if day is not None and day.finished_at is not None:
        return True
    return run.round is not None and run.round.state != "allocated"


def supplies_by_date(household, lines):
    """``(upcoming, past)``: lists of :class:`SupplyDate`, upcoming soonest first, past latest first."""
    round_ids = {line.run.round_id for line in lines if line.run.round_id}
    days = {d.round_id: d for d in db.session.scalars(select(CollectionDay).where(
        CollectionDay.round_id.in_(round_ids), CollectionDay.village_id == household.village_id))} if round_ids else {}
    groups = {}
    for line in lines:
        run = line.run
        day = days.get(run.round_id)
        if day is not None:
            on = day.starts_at.astimezone(LOCAL_ZONE).date()
        else:
            on = run.round.delivers_on if run.round is not None else None
        key = (_is_past(run, day), on, day.id if day else 0)
        groups.setdefault(key, SupplyDate(on, day, []))[2].append(line)
    upcoming = [g for (past, _, _), g in groups.items() if not past]
    past = [g for (was, _, _), g in groups.items() if was]
    upcoming.sort(key=lambda g: (g.on is None, g.on or 0))
    past.sort(key=lambda g: g.on.toordinal() if g.on else 0, reverse=True)
    return upcoming, past

