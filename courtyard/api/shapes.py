"""Records as JSON: money in integer fen, times ISO 8601 in UTC, never a full ID or bank number.

Each function here has a schema of the same name in :mod:`courtyard.api.schemas`.
"""

from datetime import timezone


def utc(moment):
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if moment else None


def package_json(package):
    return {"id": package.id, "name": package.name, "description": package.description, "kind": package.kind,
            "price_fen": package.price_fen, "active": package.active,
            "items": [{"item_id": line.item_id, "name": line.item.name, "unit": line.item.unit,
                       "quantity": line.quantity} for line in package.lines]}


def offer_json(offer):
    return {"id": offer.id, "package": package_json(offer.package), "price_fen": offer.price_fen,
            "cap": offer.effective_cap, "sold": offer.sold, "remaining": max(offer.remaining, 0),
            "active": offer.active}


def campaign_json(campaign, with_offers=False):
    shape = {"id": campaign.id, "title": campaign.title, "state": campaign.state, "mode": campaign.mode,
             "goal_kind": campaign.goal_kind, "goal_value": campaign.goal_value,
             "opens_at": utc(campaign.opens_at), "closes_at": utc(campaign.closes_at),
             "limit_per_unit": campaign.limit_per_unit, "limit_per_address": campaign.limit_per_address}
    if with_offers:
        shape["story"] = campaign.story
        shape["offers"] = [offer_json(offer) for offer in campaign.offers if offer.active]
    return shape


def address_json(address):
    return {"id": address.id, "label": address.label, "address": address.address} if address else None


def pledge_json(pledge):
    return {"id": pledge.id, "reference": pledge.reference, "campaign_id": pledge.campaign_id,
            "unit_id": pledge.unit_id, "method": pledge.method, "state": pledge.state,
            "total_fen": pledge.total_fen, "refunded_fen": pledge.refunded_fen, "created_at": utc(pledge.created_at),
            "transfer_due_at": utc(pledge.transfer_due_at), "paid_at": utc(pledge.paid_at),
            "lines": [{"offer_id": line.offer_id, "package_name": line.offer.package.name,
                       "address": address_json(line.address), "quantity": line.quantity,
                       "unit_price_fen": line.unit_price_fen, "amount_fen": line.amount_fen}
                      for line in pledge.lines]}


def delivery_json(delivery):
    return {"id": delivery.id, "round_id": delivery.round_id, "campaign_id": delivery.round.campaign_id,
            "package_name": delivery.round.offer.package.name, "unit_id": delivery.unit_id,
            "address": address_json(delivery.address), "state": delivery.state,
            "promised_by": utc(delivery.promised_by), "packed_at": utc(delivery.packed_at),
            "shipped_at": utc(delivery.shipped_at), "delivered_at": utc(delivery.delivered_at),
            "confirmed_at": utc(delivery.confirmed_at), "boxes": [box.trace_code for box in delivery.boxes]}


def household_json(household):
    return {"id": household.id, "village_id": household.village_id, "head_name": household.head_name,
            "member_count": household.member_count, "tier": household.tier, "phone": household.phone or "",
            "active": household.active, "id_number_last4": household.id_number_last4 or "",
            "bank_card_last4": household.bank_card_last4 or "", "created_at": utc(household.created_at)}


def allocation_run_json(run, with_lines=False):
    shape = {"id": run.id, "campaign_id": run.campaign_id, "village_id": run.village_id, "round_id": run.round_id,
             "state": run.state, "created_at": utc(run.created_at), "published_at": utc(run.published_at)}
    if with_lines:
        shape["lines"] = [{"household_id": line.household_id, "head_name": line.household.head_name,
                           "item_id": line.item_id, "item_name": line.item.name, "units": line.units,
                           "capacity": line.capacity, "price_fen": line.price_fen, "income_fen": line.income_fen,
                           "reason": line.reason, "pinned": line.pinned} for line in run.lines]
    return shape


def user_json(user):
    return {"id": user.id, "role": user.role, "display_name": user.display_name, "login": user.login,
            "village_id": user.village_id, "partner_unit_id": user.partner_unit_id, "household_id": user.household_id}
