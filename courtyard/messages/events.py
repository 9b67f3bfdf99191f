"""What is said, to whom, when something happens: one function per event, called by the service
that makes the change (one line there), queueing in its transaction.

Each function takes the changed records and ``now``; it builds the template's variables from the
figures (:mod:`courtyard.messages.figures`) and queues through :func:`courtyard.messages.queue.tell`.
"""

from collections import defaultdict

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.messages import figures, recipients
from courtyard.messages.queue import tell, tell_all
from courtyard.models import AuditEvent, Box, BoxBatch, CollectionDay, Household, ProduceItem, Village


def _collection_day(round_id, village_id):
    if round_id is None:
        return None
    return db.session.scalar(select(CollectionDay).where(CollectionDay.round_id == round_id,
                                                         CollectionDay.village_id == village_id))


def allocation_published(run, now):
    """One text to each household with goods in the published run: what, how much, when, where."""
    pairs = defaultdict(list)
    for line in run.lines:
        if line.units:
            pairs[line.household_id].append((line.item, line.units))
    day = _collection_day(run.round_id, run.village_id)
    when = figures.when(day.starts_at) if day else "收货日（工作队另行通知）"
    place = day.place if day else "村统一分拣点"
    campaign = run.campaign.title + (f"第{run.round.number}轮" if run.round is not None else "")
    for recipient in recipients.households(list(pairs)):
        tell("allocation_published", recipient,
             {"village": run.village.name, "name": recipient.name, "campaign": campaign,
              "goods": figures.goods(pairs[recipient.household_id]), "when": when, "place": place},
             subject=("allocation_run", run.id), now=now)


def round_run_published(round_, run, now):
    """A round's cut-off passed and the village's run was published: each household its text, the team
    a note to review it."""
    allocation_published(run, now)
    tell_all("round_cutoff", recipients.team_of_village(run.village_id),
             {"village": run.village.name, "campaign": round_.campaign.title, "round": f"第{round_.number}轮"},
             subject=("allocation_run", run.id), now=now)


def pin_reset(household, now):
    """The household's PIN was reset, i.e. set when one had been set before (the text never carries the PIN)."""
    if db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "pin_set", AuditEvent.entity == "household",
            AuditEvent.entity_id == household.id)) < 2:
        return None
    return tell("pin_reset", recipients.household(household), {"name": household.head_name},
                subject=("household", household.id), now=now, extra_key=now.isoformat())


def payout_made(payout, household, now):
    """A payout to the household: the amount, and the card's last 4 when paid by bank."""
    amount = sum(e.amount_fen for e in payout.entries if e.account == "household_payable")
    tell("payout_made" if payout.method == "bank" else "payout_cash", recipients.household(household),
         {"name": household.head_name, "amount": figures.yuan(amount), "last4": household.bank_card_last4},
         subject=("payout_batch", payout.batch_id) if payout.batch_id else ("payout", payout.id), now=now)


def goods_checked(record, now):
    """Goods a household brought were accepted (with what they earn) and/or rejected (with the reason)."""
    who = recipients.household(record.household)
    subject = ("collection_record", record.id)
    if record.units_accepted:
        tell("goods_accepted", who, {"name": who.name, "goods": figures.quantity(record.item, record.units_accepted),
                                     "amount": figures.yuan(record.units_accepted * record.unit_price_fen)},
             subject=subject, now=now, extra_key=f"a{record.units_accepted}")
    if record.units_rejected:
        tell("goods_rejected", who, {"name": who.name, "goods": figures.quantity(record.item, record.units_rejected),
                                     "reason": record.reject_reason},
             subject=subject, now=now, extra_key=f"r{record.units_rejected}")


def shortfall_moved(run, item_id, extra, still_missing, now):
    """A household brought less: the households that take over its units are told what more to bring, when and
    where; if units are still missing, the village's team is told too. ``extra`` is ``{household_id: units}``."""
    item = db.session.get(ProduceItem, item_id)
    day = _collection_day(run.round_id, run.village_id)
    when = figures.when(day.starts_at) if day else "工作队另行通知"
    place = day.place if day else "村统一分拣点"
    for recipient in recipients.households([h for h, units in extra.items() if units]):
        tell("shortfall_assigned", recipient,
             {"name": recipient.name, "goods": figures.quantity(item, extra[recipient.household_id]),
              "when": when, "place": place},
             subject=("allocation_run", run.id), now=now, extra_key=f"{item_id}:{now.isoformat()}")
    if still_missing:
        round_name = f"第{run.round.number}轮" if run.round is not None else run.campaign.title
        tell_all("team_shortfall", recipients.team_of_village(run.village_id),
                 {"village": run.village.name, "round": round_name, "goods": figures.quantity(item, still_missing)},
                 subject=("allocation_run", run.id), now=now, extra_key=f"{item_id}:{now.isoformat()}")


def complaint_reported(complaint, now):
    """A unit's complaint about a delivery: the teams of the villages whose goods are in its boxes are told."""
    village_ids = db.session.scalars(select(Household.village_id).distinct().join(
        BoxBatch, BoxBatch.household_id == Household.id).join(Box, Box.id == BoxBatch.box_id).where(
        Box.delivery_id == complaint.delivery_id)).all()
    unit = complaint.delivery.unit.name
    for village_id in sorted(village_ids):
        tell_all("complaint_village", recipients.team_of_village(village_id),
                 {"village": db.session.get(Village, village_id).name, "unit": unit, "problem": complaint.description},
                 subject=("complaint", complaint.id), now=now)


PLEDGE_KINDS = {  # the unit's mail notice → its text message kind
    "pledge_confirmed": "pledge_paid", "campaign_funded": "pledge_paid",
    "pledge_awaiting_transfer": "pledge_action", "transfer_expired": "pledge_action",
    "pledge_cancelled": "pledge_released", "campaign_failed": "pledge_released", "refund_issued": "pledge_released",
}
PLEDGE_ACTIONS = {"pledge_awaiting_transfer": "请按认购号转账", "transfer_expired": "转账未到，认购已过期"}


def pledge_notice(notice_kind, pledge, mail_message, key, *, now=None, **kw):
    """A unit's pledge mail (:mod:`courtyard.messages.pledge_letters`, ``key`` its dedupe key) also reaches the
    unit's inbox and contact mobile; ``mail_message`` (if queued) stands for the mail channel."""
    kind = PLEDGE_KINDS.get(notice_kind)
    if kind is None:
        return None
    amount = kw.get("amount_fen", pledge.total_fen) if notice_kind == "refund_issued" else pledge.total_fen
    params = {"unit": pledge.unit.name, "reference": pledge.reference, "amount": figures.yuan(amount),
              "action": PLEDGE_ACTIONS.get(notice_kind, "")}
    return tell(kind, recipients.unit(pledge.unit), params, subject=("pledge", pledge.id), now=now, extra_key=key,
                mail_message=mail_message or False)  # its mail is the pledge notice


def delivery_notice(delivery, kind, now):
    """A unit's delivery is on its way: a text and an inbox note (its mail is the delivery notice)."""
    if kind != "shipped":
        return None
    return tell("delivery_shipped", recipients.unit(delivery.unit),
                {"unit": delivery.unit.name, "package": delivery.round.offer.package.name,
                 "when": figures.when(delivery.promised_by)},
                subject=("delivery", delivery.id), now=now, mail_message=False)


def visit_reminder(visit, unit, key, now):
    """A unit's picking visit is near: a text and an inbox note (its mail is the visit reminder)."""
    return tell("visit_reminder", recipients.unit(unit),
                {"unit": unit.name, "village": visit.village.name, "when": figures.when(visit.starts_at)},
                subject=("visit", visit.id), now=now, extra_key=key, mail_message=False)
