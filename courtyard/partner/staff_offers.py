"""The coordinator's staff-offer pages: the roll of staff, opening an offer, the live roll, reminders, closing."""

from flask import Response, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courtyard.access import staff_member_in_scope, staff_offer_in_scope
from courtyard.exports.staff_poster import poster_data, qr_svg_uri, render_poster_pdf
from courtyard.extensions import db
from courtyard.models import Campaign
from courtyard.models.types import utcnow
from courtyard.partner import bp
from courtyard.partner.staff_forms import StaffFileForm, StaffOfferForm, StaffPeopleForm
from courtyard.services.staff_offers import conversion, offers, queries, reminders, roll
from courtyard.web.form_fields import options
from courtyard.web.form_pages import flash_outcome, form_page


@bp.route("/staff", methods=["GET", "POST"])
def staff_roll():
    form = StaffPeopleForm()

    def save():
        added = roll.add_staff(current_user, current_user.partner_unit, form.people.data, utcnow())
        db.session.commit()
        return added

    return form_page(form, save, "partner/staff_roll.html", url_for("partner.staff_roll"),
                     message=_("Staff added."), **_roll_context(people_form=form, file_form=StaffFileForm(formdata=None)))


def _roll_context(**forms):
    unit_id = current_user.partner_unit_id
    return dict(members=queries.members_of_unit(unit_id), offers=queries.offers_of_unit(unit_id), **forms)


@bp.route("/staff/import", methods=["POST"])
def staff_import():
    file_form = StaffFileForm()

    def save():
        added = roll.import_staff(current_user, current_user.partner_unit, file_form.file.data.filename,
                                  file_form.file.data.stream, utcnow())
        db.session.commit()
        return added

    return form_page(file_form, save, "partner/staff_roll.html", url_for("partner.staff_roll"),
                     message=_("Staff added."), **_roll_context(people_form=StaffPeopleForm(formdata=None),
                                                                        file_form=file_form))


@bp.route("/staff/people/<int:member_id>/remove", methods=["POST"])
def staff_remove(member_id):
    member = staff_member_in_scope(member_id)
    flash_outcome(lambda: roll.remove_staff(current_user, member, utcnow()), _("Taken off the roll."))
    db.session.commit()
    return redirect(url_for("partner.staff_roll"))


@bp.route("/staff/offers/new", methods=["GET", "POST"])
def staff_offer_new():
    form = StaffOfferForm()
    campaigns = queries.campaigns_taking_pledges(utcnow())
    form.campaign.choices = options((c.id, c.title) for c in campaigns)
    chosen = db.session.get(Campaign, form.campaign.data) if form.campaign.data else (campaigns[0] if campaigns else None)
    form.packages.choices = options((o.id, f"{o.package.name} · {o.price_fen / 100:.2f}")
                                    for c in campaigns for o in c.offers if o.active)
    form.points.choices = options((a.id, a.label) for a in queries.unit_addresses(current_user.partner_unit_id))

    def save():
        offer = offers.open_offer(current_user, current_user.partner_unit, getattr(chosen, "id", 0),
                                  form.packages.data, form.points.data, form.allowance.data or 0,
                                  form.per_person_limit.data, form.deadline.data, "transfer", utcnow())
        db.session.commit()
        return offer

    return form_page(form, save, "partner/staff_offer_form.html",
                     lambda offer: url_for("partner.staff_offer", staff_offer_id=offer.id), message=_("The offer is open."))


@bp.route("/staff/offers/<int:staff_offer_id>")
def staff_offer(staff_offer_id):
    offer = staff_offer_in_scope(staff_offer_id)
    link = _link(offer)
    return render_template("partner/staff_offer.html", offer=offer, roll=queries.roll(offer), link=link,
                           qr=qr_svg_uri(link))


def _link(offer):
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}{url_for('staff.join', token=offer.token)}"


@bp.route("/staff/offers/<int:staff_offer_id>/poster.pdf")
def staff_offer_poster(staff_offer_id):
    """The A4 poster with the campaign's story and the QR code of the link."""
    offer = staff_offer_in_scope(staff_offer_id)
    pdf = render_poster_pdf(poster_data(offer, _link(offer), utcnow()))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=staff-offer-{offer.id}.pdf"})


@bp.route("/staff/offers/<int:staff_offer_id>/remind", methods=["POST"])
def staff_offer_remind(staff_offer_id):
    offer = staff_offer_in_scope(staff_offer_id)
    flash_outcome(lambda: reminders.remind_waiting(offer, utcnow()),
                  lambda n: _("A reminder is on its way to %(n)s people.", n=n))
    db.session.commit()
    return redirect(url_for("partner.staff_offer", staff_offer_id=offer.id))


@bp.route("/staff/offers/<int:staff_offer_id>/close", methods=["POST"])
def staff_offer_close(staff_offer_id):
    offer = staff_offer_in_scope(staff_offer_id)
    flash_outcome(lambda: conversion.convert(offer, current_user, utcnow()),
                  _("The offer is closed; the choices are now one pledge of your unit."))
    return redirect(url_for("partner.staff_offer", staff_offer_id=offer.id))
