"""A partner unit pays a pledge by card: the card is typed into Stripe.js (never sent to us), saved with
a SetupIntent, then used; it confirms with its bank (3-D Secure), switches to a bank transfer, and
manages its saved cards."""

from flask import flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courtyard.access import pledge_in_scope, saved_card_in_scope
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.web.form_pages import attach_error, flash_outcome
from courtyard.models.types import utcnow
from courtyard.partner import bp
from courtyard.partner.forms import AuthenticatedForm, CardForm, InvoiceForm
from courtyard.payments.decline_reasons import reason_text
from courtyard.services.payments import card_needs_action, saved_cards
from courtyard.services.payments import card_payments
from courtyard.services.supply import adoptions
from courtyard.services.payments.card_intents import card_payment_of

METHOD_TEXTS = {
    "save": lambda: _("All-or-nothing campaign: your card is saved now and charged only when the campaign closes "
                      "having reached its goal. Nothing is charged now."),
    "hold": lambda: _("All-or-nothing campaign closing within %(days)s days: the amount is held on your card now "
                      "and taken when the campaign closes having reached its goal, released if not.",
                      days=card_payments.HOLD_DAYS),
    "charge": lambda: _("The amount is charged to your card now."),
}


def can_cancel(pledge):
    return pledge.state in ("authorized", "awaiting_transfer", "paid", "payment_pending", "needs_action") and \
        pledge.campaign.state == "open" and utcnow() < pledge.campaign.closes_at


def card_context(pledge, card_form=None):
    """What the pledge page shows about paying by card: how, with which cards, why the last try failed,
    and the bank's confirmation to complete."""
    payable = pledge.method == "card" and pledge.state in ("payment_pending", "needs_action")
    card = card_payment_of(pledge) if payable else None
    form = card_form or CardForm()
    cards = saved_cards.cards_of(pledge.unit_id) if payable else []
    form.saved_card.choices = [(c.id, str(c)) for c in cards]
    return {
        "card": form, "payable_by_card": payable, "saved_cards": cards,
        "card_method_text": METHOD_TEXTS[card_payments.card_method(pledge.campaign, utcnow())]() if payable else "",
        "card_reason": reason_text(card.last_error) if card is not None and card.last_error and pledge.state == "needs_action" else "",
        "card_due_at": card.action_due_at if card is not None and pledge.state == "needs_action" else None,
        "card_action": card_needs_action.action_for(pledge) if pledge.state == "needs_action" else None,
        "authenticated": AuthenticatedForm(),
    }


def detail_page(pledge, status=200, card_form=None, invoice=None, **extra):
    """The pledge's page (also drawn again, with the errors, by a refused payment or invoice request)."""
    return render_template("partner/pledge_detail.html", pledge=pledge, invoice=invoice or InvoiceForm(),
                           can_cancel=can_cancel(pledge),
                           adoptions=adoptions.published_adoptions_of_pledge(pledge.id),
                           **card_context(pledge, card_form), **extra), status


@bp.route("/pledges/<int:pledge_id>/card-setup", methods=["POST"])
def pledge_card_setup(pledge_id):
    """For Stripe.js: a SetupIntent's client secret to save a new card of the unit (JSON)."""
    pledge = pledge_in_scope(pledge_id)
    try:
        return jsonify(saved_cards.begin_setup(pledge))
    except DomainError as error:
        return jsonify({"error": str(error.message)}), 422


@bp.route("/pledges/<int:pledge_id>/pay", methods=["POST"])
def pledge_pay(pledge_id):
    pledge = pledge_in_scope(pledge_id)
    form = CardForm()
    form.saved_card.choices = [(c.id, str(c)) for c in saved_cards.cards_of(pledge.unit_id)]
    if form.validate_on_submit():
        try:
            now = utcnow()
            if form.setup_intent.data:
                chosen = saved_cards.save_from_setup(pledge.unit, form.setup_intent.data, current_user, now)
                db.session.commit()
            else:
                chosen = saved_cards.card_of(pledge.unit_id, form.saved_card.data)
            card_payments.pay_by_card(pledge, chosen, actor=current_user, now=now)
            db.session.commit()
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_paid_message(pledge), "success" if pledge.state != "needs_action" else "info")
            return redirect(url_for("partner.pledge_detail", pledge_id=pledge.id))
    db.session.refresh(pledge)
    return detail_page(pledge, 422, card_form=form, declined=True)


def _paid_message(pledge):
    if pledge.state == "paid":
        return _("Payment done.")
    if pledge.state == "needs_action":
        return _("Your bank asks you to confirm this payment: press \"Confirm with my bank\".")
    card = card_payment_of(pledge)
    if card is not None and card.state == "saved":
        return _("Card saved: it is charged only when the campaign closes having reached its goal.")
    return _("Card authorised: it is charged only if the campaign reaches its goal.")


@bp.route("/pledges/<int:pledge_id>/authenticated", methods=["POST"])
def pledge_authenticated(pledge_id):
    """After Stripe.js' confirmCardPayment: the pledge is settled from what the payment server says."""
    pledge = pledge_in_scope(pledge_id)
    form = AuthenticatedForm()
    if form.validate_on_submit():
        flash_outcome(lambda: card_payments.finish_authentication(pledge, form.payment_intent.data, actor=current_user),
                      lambda paid: _paid_message(paid))
    else:
        flash(_("Confirm the payment with your bank first."), "error")
    return redirect(url_for("partner.pledge_detail", pledge_id=pledge.id))


@bp.route("/pledges/<int:pledge_id>/to-transfer", methods=["POST"])
def pledge_to_transfer(pledge_id):
    pledge = pledge_in_scope(pledge_id)
    flash_outcome(lambda: card_needs_action.switch_to_transfer(pledge, current_user, utcnow()),
                  _("This pledge is now paid by bank transfer: see the reference and the account below."))
    return redirect(url_for("partner.pledge_detail", pledge_id=pledge.id))


@bp.route("/cards")
def card_list():
    return render_template("partner/cards.html", cards=saved_cards.cards_of(current_user.partner_unit_id))


@bp.route("/cards/<int:card_id>/remove", methods=["POST"])
def card_remove(card_id):
    card = saved_card_in_scope(card_id)

    def remove():
        saved_cards.remove(card.unit_id, card.id, current_user, utcnow())
        db.session.commit()

    flash_outcome(remove, _("Card removed."))
    return redirect(url_for("partner.card_list"))
