"""A photo added to a batch record shows on the package's trace page and on its village's public page."""

from io import BytesIO

from PIL import Image
from sqlalchemy import select

from courtyard.demo.base import TEAM_PASSWORD
from courtyard.extensions import db
from courtyard.models import Box, HouseholdBatch
from tests.trace.demo import load_demo


def _jpeg():
    out = BytesIO()
    Image.new("RGB", (40, 30), (80, 160, 60)).save(out, "JPEG")
    out.seek(0)
    return out


def test_a_batch_photo_reaches_the_trace_and_village_pages(app, client):
    """Does a photo uploaded on the team's batch form appear on the trace page of a box holding those goods,
    and on the village page; and is a file that is not a picture refused at the field?"""
    codes = load_demo(app)
    with app.app_context():
        box = db.session.scalar(select(Box).where(Box.trace_code == codes[0]))
        batch = box.batches[0]
        round_id, household_id, item_id = box.delivery.round_id, batch.household_id, batch.item_id
        village_id = batch.household.village_id
        db.session.remove()
    client.post("/login", data={"login": "team.lijia", "password": TEAM_PASSWORD})
    url = f"/team/trace/{round_id}/suppliers/{household_id}/items/{item_id}"
    refused = client.post(url, data={"photo": (BytesIO(b"not a picture"), "notes.jpg")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "field-error" in refused.get_data(as_text=True)
    saved = client.post(url, data={"harvested_on": "2026-11-09", "photo": (_jpeg(), "field.jpg")},
                        content_type="multipart/form-data")
    assert saved.status_code == 302
    with app.app_context():
        photo = db.session.scalar(select(HouseholdBatch).where(
            HouseholdBatch.round_id == round_id, HouseholdBatch.household_id == household_id,
            HouseholdBatch.item_id == item_id)).photo_names[-1]
        db.session.remove()
    assert f"/photos/{photo}" in client.get(f"/t/{codes[0]}").get_data(as_text=True)
    assert f"/photos/{photo}" in client.get(f"/villages/{village_id}").get_data(as_text=True)
    assert client.get(f"/photos/{photo}").status_code == 200
