"""A season of deliveries in the county-sized demo: rounds, collection, boxes with trace codes, money.

For each of the latest campaigns no longer open, every offer gets one delivery round that went the
whole way, written as the services would have written it: the villages' published allocations and
collection days, what each household brought (:mod:`courtyard.services.supply.collection`, which posts
"goods accepted"), one box per package bought with a trace code and the households' batches in it
(:mod:`courtyard.services.deliveries.packing`), one delivery per unit and address (delivered, mostly on time,
a few complaints) — and, for the older half of the season, every household paid by a village batch
(:mod:`courtyard.services.money.payouts`). Every ledger transaction balances, per campaign as well.
"""

import secrets
from collections import defaultdict
from datetime import timedelta

from courtyard.demo.bulk_rows import bulk, entry
from courtyard.localtime import LOCAL_ZONE, utc_at
from courtyard.models import (
    AllocationLine, AllocationRun, Box, BoxBatch, CollectionDay, CollectionRecord, Delivery, DeliveryComplaint,
    DeliveryRound, LedgerEntry, LedgerTransaction, PayoutBatch,
)
from courtyard.services.deliveries.packing import TRACE_ALPHABET, TRACE_LENGTH

LATE_PERCENT = 8
COMPLAINT_PERCENT = 1


def season_rounds(scale):
    """How many rounds :func:`build_season` writes for ``scale``: two offers per season campaign."""
    return 2 * min(scale.season_campaigns, max(scale.campaigns - 3, 0))


def build_season(ids, season, lines_by_offer, contents, households, now, rng, progress):
    """Write the season's rounds and payouts.

    ``season``: [(campaign_id, closes_at, [(offer_id, package_id)])], oldest first; ``lines_by_offer``:
    {offer_id: [(line_id, unit_id, address_id, quantity)]}; ``contents``: {package_id: [(item_id,
    quantity, price_fen)]}; ``households``: [(household_id, village_id)].
    """
    owed = defaultdict(lambda: defaultdict(int))  # campaign -> household -> fen
    codes = set()
    paid_until = None
    for n, (campaign_id, closes_at, offers) in enumerate(season):
        for offer_id, package_id in offers:
            promised = _round(ids, campaign_id, offer_id, package_id, closes_at, lines_by_offer[offer_id],
                              contents[package_id], households, owed[campaign_id], codes, now, rng)
            progress()
            if n < len(season) // 2:
                paid_until = max(paid_until or promised, promised)
    if paid_until is not None and paid_until + timedelta(days=14) < now:
        older = [campaign_id for campaign_id, _closes, _offers in season[:len(season) // 2]]
        _payouts(ids, {c: owed[c] for c in older}, dict(households), paid_until + timedelta(days=14), now)
    progress()


def _trace_code(codes):
    while True:
        bits = secrets.randbits(5 * TRACE_LENGTH)
        code = "".join(TRACE_ALPHABET[(bits >> 5 * k) & 31] for k in range(TRACE_LENGTH))
        if code not in codes:
            codes.add(code)
            return code


def _round(ids, campaign_id, offer_id, package_id, closes_at, lines, contents, households, owed, codes, now, rng):
    """One round of an offer, collected, packed and delivered; returns the time it was promised by."""
    [round_id] = ids.take(DeliveryRound, 1)
    delivers_on = closes_at.astimezone(LOCAL_ZONE).date() + timedelta(days=10)
    promised = utc_at(delivers_on, 18)
    collected, packed = promised - timedelta(days=2), promised - timedelta(days=1)
    bulk(DeliveryRound, [{"id": round_id, "campaign_id": campaign_id, "offer_id": offer_id, "number": 1,
                          "delivers_on": delivers_on, "cutoff_at": promised - timedelta(days=3),
                          "promised_by": promised, "state": "packed", "allocated_at": promised - timedelta(days=3),
                          "collected_at": collected, "packed_at": packed}])
    boxes = sum(quantity for _line, _unit, _address, quantity in lines)
    records = _collect(ids, round_id, campaign_id, contents, boxes, households, owed, collected, now, rng)
    pool = defaultdict(list)
    for record_id, household_id, item_id, units in sorted(records, key=lambda r: (r[1], r[0])):
        pool[item_id].append([record_id, household_id, units])
    _pack_and_deliver(ids, round_id, lines, contents, pool, promised, packed, codes, now, rng)
    return promised


def _collect(ids, round_id, campaign_id, contents, boxes, households, owed, at, now, rng):
    """Households bring what the packages need; returns [(record id, household id, item id, units)].

    Ledger rows are recorded ``now`` (when written, as the services do), so a summary refreshed before sees them.
    """
    brought = {}
    for k, (item_id, quantity, _price) in enumerate(contents):
        needed, cursor = boxes * quantity, rng.randrange(len(households))
        while needed:
            household_id, village_id = households[cursor % len(households)]
            units = min(needed, rng.randint(2, 8))
            brought[household_id, item_id] = brought.get((household_id, item_id), 0) + units
            needed -= units
            cursor += 1 + k
    prices = {item_id: price for item_id, _quantity, price in contents}
    village_of = dict(households)
    villages = sorted({village_of[h] for h, _item in brought})
    run_ids, day_ids = ids.take(AllocationRun, len(villages)), ids.take(CollectionDay, len(villages))
    run_of = dict(zip(villages, run_ids))
    allocated = at - timedelta(days=1)
    bulk(AllocationRun, [{"id": run_of[v], "campaign_id": campaign_id, "village_id": v, "round_id": round_id,
                          "state": "published", "created_at": allocated, "published_at": allocated, "summary": {}}
                         for v in villages])
    bulk(CollectionDay, [{"id": day_id, "round_id": round_id, "village_id": v, "starts_at": at - timedelta(hours=6),
                          "place": "村委会院内", "finished_at": at} for v, day_id in zip(villages, day_ids)])
    keys = sorted(brought)
    record_ids, line_ids = ids.take(CollectionRecord, len(keys)), ids.take(AllocationLine, len(keys))
    transaction_ids, entry_ids = ids.take(LedgerTransaction, len(keys)), ids.take(LedgerEntry, 2 * len(keys))
    records, lines, transactions, entries = [], [], [], []
    for n, (household_id, item_id) in enumerate(keys):
        units, price, record_id = brought[household_id, item_id], prices[item_id], record_ids[n]
        amount = units * price
        lines.append({"id": line_ids[n], "run_id": run_of[village_of[household_id]], "household_id": household_id,
                      "item_id": item_id, "units": units, "capacity": units, "price_fen": price,
                      "reason": "capacity_reached", "pinned": False, "pin_reason": ""})
        records.append({"id": record_id, "round_id": round_id, "household_id": household_id, "item_id": item_id,
                        "units_accepted": units, "units_rejected": 0, "reject_reason": "", "unit_price_fen": price,
                        "recorded_at": at})
        transactions.append({"id": transaction_ids[n], "kind": "goods_accepted", "occurred_at": at, "recorded_at": now,
                             "memo": "", "source_ref": f"collection:{record_id}", "household_id": household_id,
                             "campaign_id": campaign_id, "item_id": item_id, "units": units, "unit_price_fen": price,
                             "method": "", "reference": ""})
        entries += [entry(entry_ids[2 * n], transaction_ids[n], "produce_cost", amount, campaign_id=campaign_id),
                    entry(entry_ids[2 * n + 1], transaction_ids[n], "household_payable", -amount,
                          household_id=household_id, campaign_id=campaign_id)]
        owed[household_id] += amount
    for model, rows in ((AllocationLine, lines), (CollectionRecord, records), (LedgerTransaction, transactions),
                        (LedgerEntry, entries)):
        bulk(model, rows)
    return [(record_ids[n], h, i, brought[h, i]) for n, (h, i) in enumerate(keys)]


def _pack_and_deliver(ids, round_id, lines, contents, pool, promised, packed, codes, now, rng):
    """One delivery per unit and address, one box per package bought, filled from the accepted goods."""
    by_delivery = defaultdict(list)
    for line in sorted(lines):
        by_delivery[line[1], line[2]].append(line)
    delivery_ids = ids.take(Delivery, len(by_delivery))
    boxes_count = sum(quantity for _line, _unit, _address, quantity in lines)
    box_ids = iter(ids.take(Box, boxes_count))
    deliveries, boxes, batches, complaints = [], [], [], []
    for delivery_id, ((unit_id, address_id), its_lines) in zip(delivery_ids, sorted(by_delivery.items())):
        deliveries.append(_delivery(delivery_id, round_id, unit_id, address_id, promised, packed, now, rng))
        if deliveries[-1]["delivered_at"] and rng.randrange(100) < COMPLAINT_PERCENT:
            complaints.append(_complaint(delivery_id, deliveries[-1]["delivered_at"], now, rng))
        for line_id, _unit, _address, quantity in its_lines:
            for _ in range(quantity):
                box_id = next(box_ids)
                boxes.append({"id": box_id, "delivery_id": delivery_id, "pledge_line_id": line_id,
                              "trace_code": _trace_code(codes), "packed_at": packed})
                for item_id, needed, _price in contents:
                    batches += _take(pool[item_id], box_id, item_id, needed)
    batch_ids = ids.take(BoxBatch, len(batches))
    for batch_id, batch in zip(batch_ids, batches):
        batch["id"] = batch_id
    complaint_ids = ids.take(DeliveryComplaint, len(complaints))
    for complaint_id, complaint in zip(complaint_ids, complaints):
        complaint["id"] = complaint_id
    for model, rows in ((Delivery, deliveries), (Box, boxes), (BoxBatch, batches), (DeliveryComplaint, complaints)):
        bulk(model, rows)


def _take(sources, box_id, item_id, needed):
    """Batches of ``needed`` units of an item for a box from the accepted goods still in the pool (in order)."""
    batches = []
    while needed and sources:
        source = sources[0]
        take = min(source[2], needed)
        batches.append({"box_id": box_id, "record_id": source[0], "household_id": source[1], "item_id": item_id,
                        "units": take})
        source[2] -= take
        needed -= take
        if not source[2]:
            sources.pop(0)
    return batches


def _delivery(delivery_id, round_id, unit_id, address_id, promised, packed, now, rng):
    shipped = promised - timedelta(hours=12)
    late = rng.randrange(100) < LATE_PERCENT
    delivered = promised + timedelta(hours=rng.randint(1, 20)) if late else promised - timedelta(hours=rng.randint(0, 10))
    if delivered >= now:
        return {"id": delivery_id, "round_id": round_id, "unit_id": unit_id, "address_id": address_id,
                "state": "packed", "promised_by": promised, "created_at": packed, "collected_at": packed,
                "packed_at": packed, "shipped_at": None, "delivered_at": None, "confirmed_at": None}
    confirmed = delivered + timedelta(hours=2) if rng.randrange(10) else None
    return {"id": delivery_id, "round_id": round_id, "unit_id": unit_id, "address_id": address_id,
            "state": "confirmed" if confirmed else "delivered", "promised_by": promised,
            "created_at": promised - timedelta(days=3), "collected_at": promised - timedelta(days=2),
            "packed_at": packed, "shipped_at": shipped, "delivered_at": delivered, "confirmed_at": confirmed}


def _complaint(delivery_id, delivered, now, rng):
    reported = delivered + timedelta(hours=rng.randint(1, 30))
    resolved = reported + timedelta(hours=rng.randint(2, 60)) if rng.randrange(2) else None
    if resolved is not None and resolved >= now:
        resolved = None
    return {"delivery_id": delivery_id, "description": "有一盒鸡蛋破了两枚。", "reported_at": reported,
            "response_due_at": reported + timedelta(days=2), "resolved_at": resolved,
            "resolution": "note" if resolved else None, "resolution_note": "已电话致歉并说明。" if resolved else "",
            "refund_fen": 0}


def _payouts(ids, owed, village_of, at, now):
    """Every household owed for ``owed``'s campaigns paid by bank, one batch per village; oldest campaign first."""
    per_household = defaultdict(list)
    for campaign_id in owed:
        for household_id, amount in owed[campaign_id].items():
            per_household[household_id].append((campaign_id, amount))
    villages = sorted({village_of[h] for h in per_household})
    batch_ids = ids.take(PayoutBatch, len(villages))
    batch_of = dict(zip(villages, batch_ids))
    bulk(PayoutBatch, [{"id": b, "village_id": v, "method": "bank", "reference": f"PB{at:%Y%m%d}C{b:07d}",
                        "created_at": at} for v, b in batch_of.items()])
    households = sorted(per_household)
    transaction_ids = ids.take(LedgerTransaction, len(households))
    entry_ids = iter(ids.take(LedgerEntry, 2 * sum(len(parts) for parts in per_household.values())))
    transactions, entries = [], []
    for transaction_id, household_id in zip(transaction_ids, households):
        batch_id = batch_of[village_of[household_id]]
        transactions.append({"id": transaction_id, "kind": "payout", "occurred_at": at, "recorded_at": now, "memo": "",
                             "source_ref": f"payout:{household_id}:season{batch_id}", "household_id": household_id,
                             "method": "bank", "reference": f"PB{at:%Y%m%d}C{batch_id:07d}", "batch_id": batch_id})
        for campaign_id, amount in per_household[household_id]:
            entries += [entry(next(entry_ids), transaction_id, "household_payable", amount, household_id=household_id,
                              campaign_id=campaign_id),
                        entry(next(entry_ids), transaction_id, "bank", -amount, campaign_id=campaign_id)]
    bulk(LedgerTransaction, transactions)
    bulk(LedgerEntry, entries)
