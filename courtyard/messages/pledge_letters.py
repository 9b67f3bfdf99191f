"""Mail notices to a partner unit about its pledge, written in Simplified Chinese.

Each text function takes the pledge (and what else the notice needs) and returns
``(subject, body)``; the msgids are English and the ``zh_Hans`` catalog translates them.
``notify(kind, pledge, **kw)`` queues the notice to the unit's contact e-mail in the caller's
transaction, once per ``dedupe_key(kind, pledge, **kw)``; it returns None (and queues no mail)
when the unit has no contact e-mail or the notice was queued before. The same event also reaches
the unit's inbox and contact mobile (:func:`courtyard.messages.events.pledge_notice`).
"""

from functools import wraps

from flask import current_app
from flask_babel import force_locale, gettext

from courtyard.messages import events as message_events
from courtyard.messages import outbox
from courtyard.text.formatting import fen, local_time

LOCALE = "zh_Hans"


def _in_chinese(text_function):
    @wraps(text_function)
    def wrapper(*args, **kwargs):
        with force_locale(LOCALE):
            return text_function(*args, **kwargs)
    return wrapper


def _facts(pledge):
    return {"unit": pledge.unit.name, "reference": pledge.reference, "campaign": pledge.campaign.title,
            "amount": fen(pledge.total_fen), "quantity": pledge.quantity}


def _letter(pledge, *paragraphs):
    """Greeting, the paragraphs, the pledge's lines, and the signature."""
    lines = "\n".join(
        gettext("%(package)s × %(quantity)s to %(address)s", package=line.offer.package.name,
                quantity=line.quantity, address=line.address.label)
        for line in pledge.lines
    )
    config = current_app.config
    parts = [
        gettext("Dear %(unit)s,", unit=pledge.unit.name),
        *paragraphs,
        lines,
        gettext("Pledge reference: %(reference)s", reference=pledge.reference),
        gettext("%(county)s Courtyard platform\n%(url)s", county=config["COUNTY_NAME"], url=config["PUBLIC_BASE_URL"]),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


@_in_chinese
def pledge_confirmed(pledge):
    facts = _facts(pledge)
    subject = gettext("Pledge %(reference)s confirmed: %(campaign)s", **facts)
    if pledge.state == "authorized":
        payment = gettext("%(amount)s is held on your card. It is charged only if the campaign reaches its goal; "
                          "otherwise the hold is released and nothing is charged.", **facts)
    else:
        payment = gettext("We have received your payment of %(amount)s.", **facts)
    intro = gettext("Thank you for your pledge of %(quantity)s packages to the campaign \"%(campaign)s\".", **facts)
    return subject, _letter(pledge, intro, payment)


@_in_chinese
def pledge_awaiting_transfer(pledge):
    facts = _facts(pledge)
    subject = gettext("Pledge %(reference)s: please pay %(amount)s by bank transfer", **facts)
    intro = gettext("Thank you for your pledge of %(quantity)s packages to the campaign \"%(campaign)s\".", **facts)
    how = gettext("Please transfer %(amount)s and write the reference %(reference)s in the transfer's remarks "
                  "so that we can match your payment.", **facts)
    paragraphs = [intro, how]
    if pledge.transfer_due_at:
        paragraphs.append(gettext("If the transfer has not arrived by %(date)s, the pledge expires and its "
                                  "packages are offered to others.", date=local_time(pledge.transfer_due_at, "yyyy-MM-dd")))
    bank = (current_app.config.get("BANK_ACCOUNT_TEXT") or "").strip()
    paragraphs.append(gettext("Bank account:\n%(bank)s", bank=bank) if bank
                      else gettext("The county e-commerce office will send you the bank account details."))
    return subject, _letter(pledge, *paragraphs)


@_in_chinese
def campaign_funded(pledge):
    facts = _facts(pledge)
    subject = gettext("Campaign \"%(campaign)s\" reached its goal", **facts)
    intro = gettext("The campaign \"%(campaign)s\" reached its goal. The households will now prepare your packages.", **facts)
    if pledge.method == "card":
        payment = gettext("The %(amount)s held on your card has now been charged.", **facts)
    else:
        payment = gettext("Your bank transfer of %(amount)s goes to this campaign.", **facts)
    return subject, _letter(pledge, intro, payment)


@_in_chinese
def campaign_failed(pledge):
    facts = _facts(pledge)
    subject = gettext("Campaign \"%(campaign)s\" did not reach its goal", **facts)
    intro = gettext("The campaign \"%(campaign)s\" closed without reaching its goal, so it will not go ahead.", **facts)
    if pledge.method == "card" and not pledge.paid_at:
        payment = gettext("The hold of %(amount)s on your card has been released; nothing was charged.", **facts)
    elif pledge.method == "card":  # a flexible campaign's captured payment is paid back
        payment = gettext("The %(amount)s charged to your card will be refunded in full.", **facts)
    else:
        payment = gettext("Any bank transfer you made for this pledge will be refunded in full.")
    return subject, _letter(pledge, intro, payment)


@_in_chinese
def pledge_cancelled(pledge):
    facts = _facts(pledge)
    subject = gettext("Pledge %(reference)s cancelled", **facts)
    body = gettext("Your pledge to the campaign \"%(campaign)s\" has been cancelled. A card hold is released; "
                   "money already paid is refunded, and you will receive a separate notice of the refund.", **facts)
    return subject, _letter(pledge, body)


@_in_chinese
def refund_issued(pledge, amount_fen, reason, refund_id=None):
    facts = _facts(pledge) | {"refund": fen(amount_fen), "reason": reason}
    subject = gettext("Refund of %(refund)s for pledge %(reference)s", **facts)
    body = gettext("We have refunded %(refund)s of your pledge to the campaign \"%(campaign)s\". Reason: %(reason)s", **facts)
    if pledge.method != "card":
        return subject, _letter(pledge, body)
    timing = gettext("Card refunds usually reach your account within 5 to 10 working days.")
    return subject, _letter(pledge, body, timing)


@_in_chinese
def invoice_issued(pledge):
    facts = _facts(pledge) | {"title": pledge.invoice_title, "tax_number": pledge.invoice_tax_number}
    subject = gettext("Invoice issued for pledge %(reference)s", **facts)
    body = gettext("The invoice for your pledge of %(amount)s has been issued to \"%(title)s\" "
                   "(tax number %(tax_number)s).", **facts)
    return subject, _letter(pledge, body)


@_in_chinese
def transfer_expired(pledge):
    facts = _facts(pledge)
    subject = gettext("Pledge %(reference)s expired: no transfer received", **facts)
    body = gettext("We did not receive your bank transfer of %(amount)s in time, so the pledge has expired and "
                   "its packages are offered to others. You are welcome to pledge again while the campaign is open.", **facts)
    return subject, _letter(pledge, body)


NOTICES = {
    "pledge_confirmed": (pledge_confirmed, "confirmed"),
    "pledge_awaiting_transfer": (pledge_awaiting_transfer, "awaiting_transfer"),
    "campaign_funded": (campaign_funded, "funded"),
    "campaign_failed": (campaign_failed, "failed"),
    "pledge_cancelled": (pledge_cancelled, "cancelled"),
    "refund_issued": (refund_issued, "refund"),
    "invoice_issued": (invoice_issued, "invoice"),
    "transfer_expired": (transfer_expired, "transfer_expired"),
}


def dedupe_key(kind, pledge, *, refund_id=None, **_):
    """``pledge:<id>:<suffix>``; a refund adds the refund's id (or, without one, the refunded total so far)."""
    suffix = NOTICES[kind][1]
    if kind == "refund_issued":
        suffix = f"{suffix}:{refund_id if refund_id is not None else f'total{pledge.refunded_fen}'}"
    return f"pledge:{pledge.id}:{suffix}"


def notify(kind, pledge, *, now=None, **kw):
    """Queue the ``kind`` notice to the pledge's unit; the caller commits it with the change it reports."""
    to_address = (pledge.unit.contact_email or "").strip()
    message = outbox.queue(to_address, *NOTICES[kind][0](pledge, **kw), dedupe_key(kind, pledge, **kw), now=now) \
        if to_address else None
    message_events.pledge_notice(kind, pledge, message, dedupe_key(kind, pledge, **kw), now=now, **kw)
    return message
