"""Every upload form refuses a file over the size limit and a file of the wrong type with a message a person can
read, and keeps nothing of the refused upload: no row, no stored file."""

import io
import os
from datetime import timedelta
from types import SimpleNamespace

import pytest
from PIL import Image
from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import Campaign, CapacityDeclaration, DeliveryComplaint, Household, HouseholdBatch, Package, ProduceItem
from courtyard.models.types import utcnow
from tests.access.world import build_world
from tests.support.campaigns import make_campaign

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
NOT_A_PICTURE = b"This is a shopping list, not a picture.\n"


def _local(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def world(app, make):
    """The access matrix's world, plus an open campaign the team can declare capacity for."""
    built = build_world(app, make)
    campaign = make_campaign(app, around=utcnow())
    built.params["open_campaign_id"] = campaign.id
    with app.app_context():
        built.params["open_item_id"] = db.session.get(Campaign, campaign.id).offers[0].package.lines[0].item_id
        db.session.remove()
    built.app = app
    return built


def _forms(p):
    """(visitor, url, other fields, file field, model whose rows must not grow) for every upload form."""
    now = utcnow()
    return {
        "county item": ("county", "/county/items/new", {"name": "鸭蛋", "category": "poultry", "unit": "30 枚盒", "price": "40"},
                        "photo", ProduceItem),
        "county package": ("county", "/county/packages/new", {"name": "鸭蛋礼盒", "price": "80", "kind": "standard",
                                                             "lines-0-item_id": p["item_id"], "lines-0-quantity": "2"},
                           "photo", Package),
        "county campaign": ("county", "/county/campaigns/new", {
            "title": "鸭蛋认购", "mode": "flexible", "goal_kind": "packages", "goal_value": "5",
            "opens_at": _local(now), "closes_at": _local(now + timedelta(days=10)), "transfer_grace_days": "7",
            "offers-0-package_id": p["package_id"], "offers-0-price": "80", "offers-0-cap": "10"}, "photo", Campaign),
        "team capacity": ("team", f"/team/supply/{p['open_campaign_id']}/households/{p['household_id']}",
                          {"item": p["open_item_id"], "units": "3", "note": "今年鸭子多"}, "photo", CapacityDeclaration),
        "team batch": ("team", f"/team/trace/{p['round_id']}/suppliers/{p['supplier_id']}/items/{p['item_id']}",
                       {}, "photo", HouseholdBatch),
        "household batch": ("household", f"/household/batches/{p['round_id']}/{p['item_id']}", {}, "photo", HouseholdBatch),
        "unit problem report": ("partner", f"/partner/deliveries/{p['delivery_id']}", {"description": "两箱压坏了"},
                                "photo", DeliveryComplaint),
        "household import": ("team", "/team/households/import", {}, "file", Household),
    }


FORMS = list(_forms({key: 0 for key in ("item_id", "package_id", "open_campaign_id", "household_id", "open_item_id",
                                         "round_id", "supplier_id", "delivery_id")}))


def _client(app, world, visitor):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(world.visitors[visitor].id)
        session["_fresh"] = True
    return client


def _snapshot(app, model):
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(model))
        photos = sum(1 for name in os.listdir(app.config["UPLOAD_DIR"]))
        batch_photos = [b.photos for b in db.session.scalars(select(HouseholdBatch))]
        db.session.remove()
    return rows, photos, batch_photos


def _post(app, world, form, filename, content):
    visitor, url, data, field, model = _forms(world.params)[form]
    client = _client(app, world, visitor)
    assert client.get(url).status_code == 200, f"{url} is not a page this visitor can open"
    before = _snapshot(app, model)
    response = client.post(url, data={**data, field: (io.BytesIO(content), filename)},
                           content_type="multipart/form-data")
    return SimpleNamespace(status=response.status_code, html=response.get_data(as_text=True), field=field,
                           kept=_snapshot(app, model) != before)


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("form", [f for f in FORMS if f != "household import"])
def test_a_real_picture_is_taken(app, world, form):
    """The control: with a real PNG the same form saves and stores the photo, so the refusals below are the file's doing."""
    answer = _post(app, world, form, "flock.png", _png())
    assert answer.status == 302 and answer.kept


@pytest.mark.parametrize("form", FORMS)
def test_a_program_file_is_refused_next_to_the_field(app, world, form):
    """Is a Windows program (.exe) refused with a message under the file field, and nothing saved?"""
    name = "households.exe" if form == "household import" else "photo.exe"
    answer = _post(app, world, form, name, EXE)
    assert answer.status == 422 and not answer.kept
    assert f'id="{answer.field}-error"' in answer.html and 'aria-invalid="true"' in answer.html


@pytest.mark.parametrize("form", FORMS)
def test_a_text_file_named_like_a_picture_is_refused_next_to_the_field(app, world, form):
    """Is a text file named .png (or a spreadsheet that is not one) refused with a message, and nothing saved?"""
    name = "households.xlsx" if form == "household import" else "flock.png"
    answer = _post(app, world, form, name, NOT_A_PICTURE)
    assert answer.status == 422 and not answer.kept
    assert f'id="{answer.field}-error"' in answer.html or 'class="form-error"' in answer.html


@pytest.mark.parametrize("form", FORMS)
def test_a_file_over_the_size_limit_gets_a_page_that_says_the_limit(app, world, form):
    """Is a file one byte over the 8 MB limit answered with a page naming the limit, and nothing saved?"""
    limit = app.config["MAX_CONTENT_LENGTH"]
    answer = _post(app, world, form, "big.jpg", b"\xff\xd8\xff" + b"\x00" * limit)
    assert answer.status == 413 and not answer.kept
    assert 'class="error-page"' in answer.html and f"{limit // (1024 * 1024)} MB" in answer.html


def _refused_by_the_service(world):
    """Form data that passes the form's checks but that the service refuses, for three photo forms."""
    now, tomorrow = utcnow(), (utcnow() + timedelta(days=2)).date().isoformat()
    with world.app.app_context():
        item_name = db.session.get(ProduceItem, world.params["item_id"]).name
        db.session.remove()
    return {
        "county item": {"name": item_name, "category": "garden", "unit": "袋", "price": "5"},  # the name is taken
        "county campaign": {"opens_at": _local(now), "closes_at": _local(now - timedelta(days=1))},  # closes first
        "team batch": {"harvested_on": tomorrow},  # harvested in the future
    }


@pytest.mark.parametrize("form", ["county item", "county campaign", "team batch"])
def test_a_picture_sent_with_a_refused_form_is_not_kept(app, world, form):
    """When the rest of the form is refused, is the good picture sent with it thrown away instead of stored?"""
    visitor, url, data, field, model = _forms(world.params)[form]
    client = _client(app, world, visitor)
    before = _snapshot(app, model)
    response = client.post(url, data={**data, **_refused_by_the_service(world)[form],
                                      field: (io.BytesIO(_png()), "flock.png")}, content_type="multipart/form-data")
    assert response.status_code == 422 and 'class="field-error"' in response.get_data(as_text=True)
    assert _snapshot(app, model) == before


@pytest.mark.parametrize("form", FORMS)
def test_each_form_keeps_its_own_smaller_limit(app, world, form):
    """Is a file under the 8 MB request limit but over the form's own (photos 5 MB, import 2 MB) refused at the
    field with a message naming that limit, and nothing saved?"""
    from courtyard.web.upload_limits import IMPORT_MAX_BYTES, PHOTO_MAX_BYTES

    limit = IMPORT_MAX_BYTES if form == "household import" else PHOTO_MAX_BYTES
    name = "households.csv" if form == "household import" else "flock.png"
    answer = _post(app, world, form, name, _png() + b"\x00" * limit)
    assert answer.status == 422 and not answer.kept
    assert f'id="{answer.field}-error"' in answer.html and f"{limit // (1024 * 1024)} MB" in answer.html


_HUGE = []


def _huge_png():
    """17 KB of PNG declaring 12,000 × 12,000 one-bit pixels (about 430 MB once decoded in colour)."""
    if not _HUGE:
        buffer = io.BytesIO()
        Image.new("1", (12_000, 12_000)).save(buffer, "PNG", optimize=True)
        _HUGE.append(buffer.getvalue())
    return _HUGE[0]


@pytest.mark.parametrize("form", [f for f in FORMS if f != "household import"])
def test_a_picture_of_too_many_pixels_is_refused_before_it_is_decoded(app, world, form, monkeypatch):
    """Is a small PNG declaring 144 megapixels refused at the field, without its pixels ever being decoded?"""
    content, decoded = _huge_png(), []
    real_load = Image.Image.load
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self.size) or real_load(self))
    answer = _post(app, world, form, "flock.png", content)
    assert answer.status == 422 and not answer.kept and f'id="{answer.field}-error"' in answer.html
    assert "40 百万像素" in answer.html and (12_000, 12_000) not in decoded
