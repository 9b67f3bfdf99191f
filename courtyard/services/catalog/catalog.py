"""Produce items and packages."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CATEGORIES, PACKAGE_KINDS, Campaign, CampaignPackage, Package, PackageItem, ProduceItem
from courtyard.services.operations import audit


def save_item(actor, item, *, name, category, unit, price_fen, months, photo=None, active=True):
    name = name.strip()
    if category not in CATEGORIES:
        raise DomainError(_l("Choose a category."), "category")
    if not price_fen or price_fen <= 0:
        raise DomainError(_l("The price must be more than zero."), "price")
    if any(m not in range(1, 13) for m in months):
        raise DomainError(_l("Months are 1 to 12."), "months")
    if db.session.scalar(select(ProduceItem.id).where(ProduceItem.name == name, ProduceItem.id != (item.id or 0))):
        raise DomainError(_l("An item with this name exists already."), "name")
    before = {"price_fen": item.price_fen} if item.id else None
    item.name, item.category, item.unit, item.price_fen, item.active = name, category, unit.strip(), price_fen, active
    item.season_months = ",".join(str(m) for m in sorted(set(months)))
    if photo:
        item.photo = photo
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "item_saved", "produce_item", item.id, before=before, after={"price_fen": price_fen})
    db.session.commit()
    return item


def save_package(actor, package, *, name, description, price_fen, lines, photo=None, active=True, kind=None):
    """``lines`` is a list of (item_id, quantity); the same item may not appear twice.

    ``kind`` is ``standard`` or ``adoption`` (None keeps it); it cannot change once the package is
    offered in a campaign past its draft, since its pledges are allocated by kind.
    """
    name = name.strip()
    kind = kind or package.kind or "standard"
    if kind not in PACKAGE_KINDS:
        raise DomainError(_l("Choose an ordinary or an adoption package."), "kind")
    if package.id and kind != package.kind and db.session.scalar(
            select(CampaignPackage.id).join(Campaign).where(CampaignPackage.package_id == package.id,
                                                            Campaign.state != "draft").limit(1)):
        raise DomainError(_l("The kind cannot change: the package is already on offer in a campaign."), "kind")
    if not price_fen or price_fen <= 0:
        raise DomainError(_l("The price must be more than zero."), "price")
    lines = [(item_id, qty) for item_id, qty in lines if item_id]
    if not lines:
        raise DomainError(_l("A package holds at least one item."), "lines")
    item_ids = [item_id for item_id, _ in lines]
    if len(set(item_ids)) != len(item_ids):
        raise DomainError(_l("Each item may appear only once; add up the quantities."), "lines")
    if any(qty is None or qty <= 0 for _, qty in lines):
        raise DomainError(_l("Each quantity must be at least 1."), "lines")
    items = {i.id: i for i in db.session.scalars(select(ProduceItem).where(ProduceItem.id.in_(item_ids)))}
    if len(items) != len(item_ids):
        raise DomainError(_l("Choose items from the list."), "lines")
    if db.session.scalar(select(Package.id).where(Package.name == name, Package.id != (package.id or 0))):
        raise DomainError(_l("A package with this name exists already."), "name")
    package.name, package.description, package.price_fen, package.active = name, description.strip(), price_fen, active
    package.kind = kind
    if photo:
        package.photo = photo
    package.lines.clear()
    db.session.flush()
    package.lines.extend(PackageItem(item=items[item_id], quantity=qty) for item_id, qty in lines)
    db.session.add(package)
    db.session.flush()
    audit.record(actor, "package_saved", "package", package.id, price_fen=price_fen, kind=kind,
                 lines=[list(l) for l in lines])
    db.session.commit()
    return package
