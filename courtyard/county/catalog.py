"""County pages for produce items and packages."""

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courtyard.county import bp
from courtyard.county.forms import ItemForm, PackageForm
from courtyard.extensions import db
from courtyard.models import Package, ProduceItem
from courtyard.services.catalog import catalog
from courtyard.services.catalog.photos import stored_photo
from courtyard.text.display_names import CATEGORY_LABELS
from courtyard.web.form_fields import options
from courtyard.web.form_pages import form_page




@bp.route("/items")
def item_list():
    items = db.session.scalars(select(ProduceItem).order_by(ProduceItem.category, ProduceItem.name)).all()
    return render_template("county/items.html", items=items)


@bp.route("/items/new", methods=["GET", "POST"], defaults={"item_id": None})
@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
def item_form(item_id):
    item = db.get_or_404(ProduceItem, item_id) if item_id else ProduceItem(active=True)
    form = ItemForm(obj=item, price=item.price_fen, months=item.months if item_id else [])
    form.category.choices = options(CATEGORY_LABELS.items())
    def save():
        with stored_photo(form.photo.data) as photo:  # None keeps the current photo
            return catalog.save_item(
                current_user, item, name=form.name.data, category=form.category.data, unit=form.unit.data,
                price_fen=form.price.data, months=form.months.data or [], photo=photo, active=form.active.data)

    title = _("Edit item") if item_id else _("New item")
    return form_page(form, save, "county/form.html", url_for("county.item_list"), title=title,
                     back=url_for("county.item_list"), photo=item.photo, multipart=True)


@bp.route("/packages")
def package_list():
    packages = db.session.scalars(select(Package).order_by(Package.name)).all()
    return render_template("county/packages.html", packages=packages)


@bp.route("/packages/new", methods=["GET", "POST"], defaults={"package_id": None})
@bp.route("/packages/<int:package_id>", methods=["GET", "POST"])
def package_form(package_id):
    package = db.get_or_404(Package, package_id) if package_id else Package(active=True, kind="standard")
    lines = [{"item_id": line.item_id, "quantity": line.quantity} for line in package.lines]
    form = PackageForm(obj=package, price=package.price_fen, lines=lines)
    while len(form.lines) < max(6, len(lines) + 2):
        form.lines.append_entry()
    choices = options([(0, "—")] + [(i.id, f"{i.name} ({i.unit})") for i in
                                    db.session.scalars(select(ProduceItem).order_by(ProduceItem.name))])
    for line in form.lines:
        line.item_id.choices = choices
    def save():
        with stored_photo(form.photo.data) as photo:  # None keeps the current photo
            return catalog.save_package(
                current_user, package, name=form.name.data, description=form.description.data or "",
                price_fen=form.price.data, photo=photo, active=form.active.data, kind=form.kind.data,
                lines=[(line.item_id.data, line.quantity.data) for line in form.lines if line.item_id.data])

    title = _("Edit package") if package_id else _("New package")
    return form_page(form, save, "county/package_form.html", url_for("county.package_list"), title=title,
                     package=package)
