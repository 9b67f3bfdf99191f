"""The collection-day sheet as phone cards: one card per household in pick-list order, running totals per item.

Built as plain data first (:func:`collection_cards`), rendered by ``team/collection_round.html``; the
field script (``static/field/collection.js``) records on the phone and syncs, the card forms post
without it.
"""

from typing import NamedTuple

from flask_babel import lazy_gettext as _l

# The rejection reasons a team picks with one tap; free text stays possible.
REJECT_REASONS = (_l("Poor quality"), _l("Yellow leaves"), _l("Too small"), _l("Spoiled"), _l("Damaged"),
                  _l("Wrong item"))


class CardLine(NamedTuple):
    line: object  # AllocationLine
    record: object  # CollectionRecord or None


class Card(NamedTuple):
    household: object
    phone_tail: str
    lines: list

    @property
    def done(self):
        return all(l.record is not None for l in self.lines)


class ItemTotal(NamedTuple):
    item: object
    to_bring: int
    accepted: int


def collection_cards(lines, households, records):
    """``(cards, totals)``: the households of ``lines`` (already in pick-list order) and per item what is
    to be brought and what was accepted so far."""
    cards, totals = {}, {}
    for line in lines:
        household = households[line.household_id]
        record = records.get((line.household_id, line.item_id))
        card = cards.setdefault(household.id, Card(household, (household.phone or "")[-4:], []))
        card.lines.append(CardLine(line, record))
        to_bring, accepted = totals.get(line.item_id, (0, 0))
        totals[line.item_id] = (to_bring + line.units, accepted + (record.units_accepted if record else 0))
    items = {l.item_id: l.item for l in lines}
    return list(cards.values()), [ItemTotal(items[i], b, a) for i, (b, a) in sorted(
        totals.items(), key=lambda t: items[t[0]].name)]
