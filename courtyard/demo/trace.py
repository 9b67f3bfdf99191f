"""Demo traceability for the demo's collected round: how each household grew its goods, the quality checks
at collection and a few scans of the packed boxes, so /t/<code> shows a full story."""

from datetime import timedelta

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.models import Box, BoxScan, CollectionRecord, Delivery, INPUT_CHOICES
from courtyard.services.trace import trace

GROWING_DAYS = {"garden": 70, "poultry": 150, "dried": 120}
CUSTOM_INPUTS = ("自沤草木灰", "人工除草")


def _inputs(category, n):
    if category == "poultry":
        return [{"kind": "feed", "name": INPUT_CHOICES["feed"][n % 2]},
                {"kind": "vaccination", "name": INPUT_CHOICES["vaccination"][n % 3]}]
    inputs = [{"kind": "fertiliser", "name": INPUT_CHOICES["fertiliser"][n % 2]},
              {"kind": "pesticide", "name": INPUT_CHOICES["pesticide"][0 if n % 3 else 1]}]
    if n % 4 == 0:
        inputs.append({"kind": "fertiliser", "name": CUSTOM_INPUTS[n % 2]})
    return inputs


def build_demo_trace(round_, collected_at):
    """Batches and checks for every collection record of ``round_``, and scans on its first boxes."""
    records = db.session.scalars(select(CollectionRecord).where(CollectionRecord.round_id == round_.id)
                                 .order_by(CollectionRecord.household_id, CollectionRecord.item_id)).all()
    harvest = collected_at.astimezone(LOCAL_ZONE).date() - timedelta(days=1)
    for n, record in enumerate(records):
        days = GROWING_DAYS.get(record.item.category, 90)
        trace.save_batch(None, record.household, record.item_id, round_.id, collected_at,
                         started_on=harvest - timedelta(days=days + n % 7), harvested_on=harvest,
                         inputs=_inputs(record.item.category, n))
        note = f"剔除 {record.units_rejected} 份：{record.reject_reason}" if record.units_rejected else ""
        trace.record_check(None, record, collected_at, passed=True, note=note,
                           certificate=f"HG-{harvest:%Y%m%d}-{n + 1:03d}")
    boxes = db.session.scalars(select(Box).join(Delivery).where(Delivery.round_id == round_.id)
                               .order_by(Box.id).limit(6)).all()
    for n, box in enumerate(boxes):
        db.session.add(BoxScan(box_id=box.id, day=harvest + timedelta(days=3), count=1 + n % 3))
    db.session.commit()
