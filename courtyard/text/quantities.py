"""Household quantities written so they cannot be misread: "小白菜 7 袋 (每袋 500 g)".

An item's unit is stored as its pack size and container together ("500 g 袋", "2.5 kg 袋", "30 枚盒")
or as a bare counting word ("只"). Written after a count, the first reads as "7 500 g 袋"; this module
splits it so the count goes with the container and the size is said once, per container.
"""

import re

_SIZED = re.compile(r"^\s*(\d+(?:\.\d+)?\s*(?:g|kg|斤|两|枚|ml|mL|L|个|根|只))\s*(\S+?)\s*$")


def unit_parts(unit):
    """``(container, size)`` of a unit: ``("袋", "500 g")`` for "500 g 袋"; ``("只", "")`` for "只"."""
    match = _SIZED.match(unit or "")
    if match is None:
        return (unit or "").strip(), ""
    return match.group(2), match.group(1)


def count_with_unit(units, unit):
    """"7 袋 (每袋 500 g)", or "3 只" for a bare counting word."""
    container, size = unit_parts(unit)
    text = f"{units} {container}".strip()
    return f"{text} (每{container} {size})" if size else text


def unit_words(unit):
    """A unit on its own, as a column or field label: "袋 (每袋 500 g)", or "只"."""
    container, size = unit_parts(unit)
    return f"{container} (每{container} {size})" if size else container


def household_quantity(name, units, unit):
    """An item, a count and its unit in one unambiguous phrase: "小白菜 7 袋 (每袋 500 g)"."""
    return f"{name} {count_with_unit(units, unit)}"


def init_app(app):
    app.add_template_filter(household_quantity, "quantity")
    app.add_template_filter(count_with_unit, "count_with_unit")
    app.add_template_filter(unit_words, "unit_words")
