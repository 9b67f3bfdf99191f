"""Reminding the staff who have not chosen yet: one text each, at most once a day per offer."""

from courtyard.messages import queue
from courtyard.messages.recipients import Recipient
from courtyard.services.staff_offers.queries import roll
from courtyard.text.formatting import local_time


def remind_waiting(offer, now):
    """Queue a reminder to everyone on the roll without a choice; returns how many were queued (flushes)."""
    if offer.state != "open":
        return 0
    day = local_time(now, "yyyy-MM-dd")
    told = 0
    for row in roll(offer).rows:
        if row.choice is not None:
            continue
        member = row.member
        recipient = Recipient(f"u{member.user_id}", "staff", member.name, phone=member.phone, user_id=member.user_id)
        told += queue.tell("staff_offer_reminder", recipient,
                           {"name": member.name, "unit": offer.unit.name, "when": local_time(offer.deadline_at, "MM-dd HH:mm")},
                           subject=("staff_offer", offer.id), now=now, extra_key=day) is not None
    return told
