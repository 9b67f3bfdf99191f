"""Notices about supply after allocation, to households, work teams and units, in Simplified Chinese.

One function per event: :func:`allocation_released` (a withdrawn pledge gave back units),
:func:`adoption_replaced` (an adoption moved to another household) and :func:`adoption_refunded`
(an adoption nobody can raise, paid back to the unit). Each writes its letters and hands each to
:func:`deliver`: a unit with a contact e-mail gets mail through the outbox; for households and teams
the letter is kept as an audit event (``supply_notice``, with recipient, subject and body). Households
and team members are also told in their own channels (their inbox and a text message, as they chose)
through the short templates of :mod:`courtyard.messages.sms_templates`. Every notice has a key, so the
same event never tells anyone twice.
"""

from flask_babel import force_locale, gettext
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.messages import figures, recipients
from courtyard.messages import outbox
from courtyard.messages.queue import tell, tell_all
from courtyard.models import AuditEvent, Household, ProduceItem
from courtyard.services.operations import audit
from courtyard.text.formatting import fen

LOCALE = "zh_Hans"


def deliver(recipient, recipient_id, subject, body, key, now, email=None):
    """Send one notice to ``recipient`` (``"household"``, ``"team"`` or ``"unit"``) by the channel it has."""
    if recipient == "unit" and email:
        outbox.queue(email, subject, body, dedupe_key=key, now=now)
        return
    if db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "supply_notice",
                                                     AuditEvent.entity_id == recipient_id,
                                                     AuditEvent.entity == recipient)
                         .where(AuditEvent.detail["key"].as_string() == key)):
        return
    audit.record(None, "supply_notice", recipient, recipient_id, key=key, subject=subject, body=body,
                 at=now.isoformat())


def _what(changes):
    """Readable "item before → after" for one household's changed lines."""
    names = dict(db.session.execute(select(ProduceItem.id, ProduceItem.name)).all())
    parts = []
    for (_household_id, item_id), (before, after) in sorted(changes.items(), key=lambda c: str(c[0][1])):
        name = names.get(item_id) if isinstance(item_id, int) else gettext("an adoption")
        parts.append(gettext("%(item)s: %(before)s → %(after)s", item=name, before=before, after=after))
    return "；".join(parts)


def allocation_released(run, pledge, changes, reason, now):
    """Tell each household whose units changed, and the village's team, that a withdrawn pledge gave units back."""
    if not changes:
        return
    with force_locale(LOCALE):
        campaign = run.campaign.title
        by_household = {}
        for (household_id, item_id), units in changes.items():
            by_household.setdefault(household_id, {})[(household_id, item_id)] = units
        subject = gettext("Allocation changed: %(campaign)s", campaign=campaign)
        for household_id, own in sorted(by_household.items()):
            body = gettext("A pledge was withdrawn, so you supply less for %(campaign)s: %(what)s. Reason: %(reason)s",
                           campaign=campaign, what=_what(own), reason=reason)
            deliver("household", household_id, subject, body, f"released:{run.id}:{pledge.id}:household:{household_id}", now)
        names = dict(db.session.execute(select(Household.id, Household.head_name).where(
            Household.id.in_(list(by_household)))).all())
        lines = "\n".join(f"{names.get(h, h)}：{_what(own)}" for h, own in sorted(by_household.items()))
        body = gettext("Pledge %(reference)s was withdrawn; the allocation of %(campaign)s changed:\n%(lines)s",
                       reference=pledge.reference, campaign=campaign, lines=lines)
        deliver("team", run.village.team.id if run.village.team else None, subject, body,
                f"released:{run.id}:{pledge.id}:team", now)
    _text_released(run, pledge, by_household, now)


def _text_released(run, pledge, by_household, now):
    """Each household's new quantities, and the team's count, as texts and inbox messages."""
    items = {i.id: i for i in db.session.scalars(select(ProduceItem)).all()}
    subject = ("allocation_run", run.id)
    for household in db.session.scalars(select(Household).where(Household.id.in_(list(by_household)))
                                        .order_by(Household.id)).all():
        after = [(items[item_id], units_after) for (_h, item_id), (_before, units_after)
                 in sorted(by_household[household.id].items(), key=lambda c: str(c[0][1]))
                 if isinstance(item_id, int) and item_id in items]
        tell("supply_reduced", recipients.household(household),
             {"name": household.head_name, "campaign": run.campaign.title, "goods": figures.goods(after) or "无"},
             subject=subject, now=now, extra_key=f"pledge{pledge.id}")
    tell_all("supply_reduced_team", recipients.team_of_village(run.village_id),
             {"village": run.village.name, "reference": pledge.reference, "campaign": run.campaign.title,
              "count": str(len(by_household))}, subject=subject, now=now, extra_key=f"pledge{pledge.id}")


def adoption_replaced(adoption, before_household, unit, reason, now):
    """Tell the unit, the household that can no longer raise it and the one that now does."""
    with force_locale(LOCALE):
        facts = {"package": adoption.package.name, "campaign": adoption.run.campaign.title, "reason": reason}
        subject = gettext("Adoption moved: %(package)s", **facts)
        deliver("household", before_household.id, subject,
                gettext("Your adoption of %(package)s (%(campaign)s) is passed to another household. Reason: %(reason)s",
                        **facts), f"adoption:{adoption.id}:moved:{before_household.id}:from", now)
        deliver("household", adoption.household_id, subject,
                gettext("You now raise an adoption of %(package)s for %(campaign)s.", **facts),
                f"adoption:{adoption.id}:moved:{adoption.household_id}:to", now)
        deliver("unit", unit.id, subject,
                gettext("Dear %(unit)s, the household raising your adoption of %(package)s could not finish it (%(reason)s); "
                        "another household of the village now raises it for you.", unit=unit.name, **facts),
                f"adoption:{adoption.id}:moved:{adoption.household_id}:unit", now, email=unit.contact_email)
    facts = {"campaign": adoption.run.campaign.title, "package": adoption.package.name}
    tell("adoption_moved_away", recipients.household(before_household),
         {"name": before_household.head_name, "reason": reason, **facts},
         subject=("adoption", adoption.id), now=now, extra_key=f"to{adoption.household_id}")
    now_raising = db.session.get(Household, adoption.household_id)
    tell("adoption_moved_here", recipients.household(now_raising), {"name": now_raising.head_name, **facts},
         subject=("adoption", adoption.id), now=now)


def adoption_refunded(adoption, unit, amount_fen, reason, now):
    """Tell the unit its adoption is paid back, and the household that raised it."""
    with force_locale(LOCALE):
        facts = {"package": adoption.package.name, "campaign": adoption.run.campaign.title, "reason": reason,
                 "amount": fen(amount_fen)}
        subject = gettext("Adoption refunded: %(package)s", **facts)
        deliver("unit", unit.id, subject,
                gettext("Dear %(unit)s, no household can raise your adoption of %(package)s (%(reason)s); "
                        "%(amount)s is paid back to you.", unit=unit.name, **facts),
                f"adoption:{adoption.id}:refunded:unit", now, email=unit.contact_email)
        deliver("household", adoption.household_id, subject,
                gettext("Your adoption of %(package)s (%(campaign)s) ends. Reason: %(reason)s", **facts),
                f"adoption:{adoption.id}:refunded:household", now)
    raising = db.session.get(Household, adoption.household_id)
    tell("adoption_ended", recipients.household(raising),
         {"name": raising.head_name, "campaign": adoption.run.campaign.title, "package": adoption.package.name,
          "reason": reason}, subject=("adoption", adoption.id), now=now)
