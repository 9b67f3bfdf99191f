"""County pages for townships and villages."""

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from courtyard.county import bp
from courtyard.county.forms import TownshipForm, VillageForm
from courtyard.extensions import db
from courtyard.models import Township, Village
from courtyard.services.places import places
from courtyard.web.form_fields import options
from courtyard.web.form_pages import form_page
from courtyard.web.paging import page_of


@bp.route("/places")
def place_list():
    townships = db.session.scalars(select(Township).order_by(Township.name)).all()
    page = page_of(select(Village).join(Township).options(joinedload(Village.team), contains_eager(Village.township))
                   .order_by(Township.name, Village.name, Village.id))
    return render_template("county/places.html", townships=townships, villages=page.items, page=page)


@bp.route("/townships/new", methods=["GET", "POST"], defaults={"township_id": None})
@bp.route("/townships/<int:township_id>", methods=["GET", "POST"])
def township_form(township_id):
    township = db.get_or_404(Township, township_id) if township_id else Township()
    form = TownshipForm(obj=township)
    save = lambda: places.save_township(current_user, township, form.name.data)  # noqa: E731
    title = _("Edit township") if township_id else _("New township")
    return form_page(form, save, "county/form.html", url_for("county.place_list"), title=title,
                     back=url_for("county.place_list"))


@bp.route("/villages/new", methods=["GET", "POST"], defaults={"village_id": None})
@bp.route("/villages/<int:village_id>", methods=["GET", "POST"])
def village_form(village_id):
    village = db.get_or_404(Village, village_id) if village_id else Village()
    form = VillageForm(obj=village)
    form.township_id.choices = options((t.id, t.name) for t in db.session.scalars(select(Township).order_by(Township.name)))
    save = lambda: places.save_village(current_user, village, form.township_id.data, form.name.data, form.description.data or "")  # noqa: E731
    title = _("Edit village") if village_id else _("New village")
    return form_page(form, save, "county/form.html", url_for("county.place_list"), title=title,
                     back=url_for("county.place_list"))
