"""A contract in plain words, as a household reads it: "县一中 每两周收 小白菜 6 袋，每袋不低于 ¥4.00"."""

from flask_babel import gettext as _

from courtyard.text.formatting import fen
from courtyard.text.quantities import household_quantity, unit_parts


def rhythm(every_days):
    if every_days == 7:
        return _("every week")
    if every_days == 14:
        return _("every two weeks")
    return _("every %(n)s days", n=every_days)


def buyer_name(contract, county_name):
    return contract.unit.name if contract.unit is not None else county_name


def plain_words(contract, county_name):
    """One sentence: who buys, how often, how much, and the floor price per unit."""
    item = contract.item
    container = unit_parts(item.unit)[0] or item.unit
    buyer, floor = buyer_name(contract, county_name), fen(contract.floor_price_fen)
    if contract.every_days and contract.units_each_time:
        return _("%(buyer)s takes %(quantity)s %(rhythm)s, at no less than %(floor)s a %(unit)s",
                 buyer=buyer, rhythm=rhythm(contract.every_days), unit=container, floor=floor,
                 quantity=household_quantity(item.name, contract.units_each_time, item.unit))
    return _("%(buyer)s takes %(low)s to %(quantity)s in all, at no less than %(floor)s a %(unit)s",
             buyer=buyer, low=contract.min_units, unit=container, floor=floor,
             quantity=household_quantity(item.name, contract.max_units, item.unit))
