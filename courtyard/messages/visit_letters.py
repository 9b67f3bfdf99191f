"""Mail to partner units about their representatives on a visit, written in Simplified Chinese.

Each text function returns ``(subject, body)``; ``tell(unit, kind, visit, key, ...)`` queues the
letter to the unit's contact e-mail through the outbox in the caller's transaction, once per
``key`` (so a job or a click run twice never sends twice). A unit without a contact e-mail is
not written to; its representatives still see everything on the unit's visit page.
"""

from flask import current_app
from flask_babel import force_locale, gettext

from courtyard.messages import outbox
from courtyard.text.formatting import local_time

LOCALE = "zh_Hans"


def _when(visit):
    return local_time(visit.starts_at, "yyyy-MM-dd HH:mm")


def _facts(visit):
    return {"title": visit.title, "village": visit.village.full_name, "when": _when(visit),
            "meeting_point": visit.meeting_point}


def _letter(unit, visit, names, *paragraphs):
    config = current_app.config
    link = f"{config['PUBLIC_BASE_URL'].rstrip('/')}/visits/{visit.id}"  # jobs have no request to build URLs from
    parts = [
        gettext("Dear %(unit)s,", unit=unit.name),
        *paragraphs,
        gettext("Visit: %(title)s\nVillage: %(village)s\nTime: %(when)s\nMeeting point: %(meeting_point)s",
                **_facts(visit)),
        gettext("Representatives: %(names)s", names="、".join(names)) if names else "",
        gettext("Details: %(url)s", url=link),
        gettext("%(county)s Courtyard platform\n%(url)s", county=config["COUNTY_NAME"], url=config["PUBLIC_BASE_URL"]),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def promoted(unit, visit, names):
    subject = gettext("A seat opened: %(title)s on %(when)s", **_facts(visit))
    body = gettext("A seat opened on the visit and your waiting representatives now have a confirmed place.")
    return subject, _letter(unit, visit, names, body)


def rescheduled(unit, visit, names, old_starts_at, reason):
    facts = _facts(visit) | {"old": local_time(old_starts_at, "yyyy-MM-dd HH:mm"), "reason": reason}
    subject = gettext("Visit moved: %(title)s is now on %(when)s", **facts)
    body = gettext("The visit planned for %(old)s has moved to %(when)s. Reason: %(reason)s", **facts)
    keep = gettext("Your registrations move to the new date. If your representatives cannot come then, "
                   "please decline on the unit's visit page so that others may take the seats.")
    return subject, _letter(unit, visit, names, body, keep)


def cancelled(unit, visit, names, reason):
    facts = _facts(visit) | {"reason": reason}
    subject = gettext("Visit cancelled: %(title)s", **facts)
    body = gettext("We are sorry: the visit planned for %(when)s is cancelled. Reason: %(reason)s", **facts)
    return subject, _letter(unit, visit, names, body)


def reminder(unit, visit, names, ahead):
    facts = _facts(visit)
    if ahead == "2h":
        subject = gettext("In two hours: %(title)s", **facts)
        body = gettext("The visit starts in about two hours, at %(when)s. Please be at the meeting point on time.", **facts)
    else:
        subject = gettext("In two days: %(title)s", **facts)
        body = gettext("A reminder that the visit is on %(when)s. If a representative cannot come, please "
                       "cancel the registration so that someone on the waiting list may take the seat.", **facts)
    notes = [note for note in (visit.transport_notes, visit.meal_notes, visit.safety_notes) if note]
    return subject, _letter(unit, visit, names, body, *notes)


LETTERS = {"promoted": promoted, "rescheduled": rescheduled, "cancelled": cancelled, "reminder": reminder}


def tell(unit, letter, visit, key, names, *, now=None, **kw):
    """Queue the ``letter`` to ``unit`` once per ``key``; None if the unit has no e-mail or it was queued."""
    to_address = (unit.contact_email or "").strip()
    if not to_address:
        return None
    with force_locale(LOCALE):
        subject, body = LETTERS[letter](unit, visit, names, **kw)
    return outbox.queue(to_address, subject, body, key, now=now)
