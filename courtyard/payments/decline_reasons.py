"""What a card's refusal means for the unit: Stripe's decline and error codes, read from a 402 error or an
intent's ``last_payment_error``, in words (Chinese through the catalog) with what to do next."""

from flask_babel import lazy_gettext as _l

AUTHENTICATION_CODES = ("authentication_required", "requires_action")
REASONS = {
    "authentication_required": _l("Your bank asks you to confirm this payment (3-D Secure)."),
    "requires_action": _l("Your bank asks you to confirm this payment (3-D Secure)."),
    "payment_intent_authentication_failure": _l("The confirmation with your bank (3-D Secure) failed or was cancelled."),
    "card_declined": _l("The card was declined by its bank."),
    "generic_decline": _l("The card was declined by its bank."),
    "insufficient_funds": _l("The card does not have enough money on it."),
    "expired_card": _l("The card has expired."),
    "incorrect_cvc": _l("The card's security code is wrong."),
    "lost_card": _l("The card was declined by its bank."),
    "stolen_card": _l("The card was declined by its bank."),
    "processing_error": _l("The bank could not process the card. Try again in a moment."),
    "canceled": _l("The payment was cancelled."),
}


def reason_text(code):
    """What a stored reason (a Stripe code, or Stripe's own message) means, for the unit."""
    return REASONS.get(code) or _l("The card was declined: %(reason)s", reason=code or "—")


def declined_reason(error):
    """The code (or message) of a CardDeclined, as stored on the card payment."""
    return error.decline_code if error.decline_code in REASONS else (error.code or error.message)


def intent_reason(intent):
    """Why an intent that did not take the money stopped."""
    error = intent.get("last_payment_error") or {}
    if intent.get("status") == "canceled":
        return "canceled"
    return error.get("decline_code") if error.get("decline_code") in REASONS else (
        error.get("code") or error.get("message") or "card_declined")
