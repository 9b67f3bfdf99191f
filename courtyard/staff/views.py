"""A staff member's pages: their unit's offers, and the choice they make and change until the deadline."""

from flask import render_template, url_for
from flask_babel import gettext as _

from courtyard.access import current_staff_member, role_required, staff_offer_for_member
from courtyard.extensions import db
from courtyard.models.types import utcnow
from courtyard.services.staff_offers import choices, queries, roll
from courtyard.staff import bp
from courtyard.staff.forms import ChoiceForm, NameForm
from courtyard.web.form_fields import options
from courtyard.web.form_pages import form_page


@bp.route("/")
@role_required("staff")
def home():
    member = current_staff_member()
    offers = queries.offers_of_unit(member.unit_id)
    mine = {offer.id: queries.choice_of(member.id, offer.id) for offer in offers}
    return render_template("staff/home.html", member=member, offers=offers, mine=mine, now=utcnow(),
                           boxes=queries.my_boxes(member.id))


@bp.route("/name", methods=["GET", "POST"])
@role_required("staff")
def name_page():
    member = current_staff_member()
    form = NameForm(data={"name": member.name})

    def save():
        roll.rename(member, form.name.data)
        db.session.commit()

    return form_page(form, save, "staff/name.html", url_for("staff.home"), message=_("Your name is saved."))


@bp.route("/offers/<int:staff_offer_id>", methods=["GET", "POST"])
@role_required("staff")
def offer_page(staff_offer_id):
    member, offer = staff_offer_for_member(staff_offer_id)
    choice = queries.choice_of(member.id, offer.id)
    chosen = {line.campaign_package_id: line.quantity for line in choice.lines} if choice else {}
    form = ChoiceForm(data={"quantities": [chosen.get(p.id, 0) for p in offer.packages],
                            "address": choice.address_id if choice else None})
    form.address.choices = options((p.id, f"{p.label}（{p.address}）") for p in offer.points)
    while len(form.quantities) < len(offer.packages):
        form.quantities.append_entry(0)
    is_open = offer.state == "open" and utcnow() < offer.deadline_at
    context = dict(offer=offer, choice=choice, member=member, is_open=is_open, pairs=list(zip(offer.packages, form.quantities)))
    if not is_open:
        return render_template("staff/offer.html", form=form, **context)

    def save():
        wanted = {p.id: (entry.data or 0) for p, entry in zip(offer.packages, form.quantities)}
        return choices.choose(member, offer, wanted, form.address.data, utcnow())

    return form_page(form, save, "staff/offer.html", url_for("staff.offer_page", staff_offer_id=offer.id),
                     message=_("Your choice is saved. You can change it until the deadline."),
                     **context)
