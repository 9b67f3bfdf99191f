"""Household quantities are written so the count goes with the container and the pack size is said once."""

import pytest

from courtyard.text.quantities import household_quantity, unit_words


@pytest.mark.parametrize("name, units, unit, written", [
    ("小白菜", 7, "500 g 袋", "小白菜 7 袋 (每袋 500 g)"),
    ("土豆", 3, "2.5 kg 袋", "土豆 3 袋 (每袋 2.5 kg)"),
    ("土鸡蛋", 2, "30 枚盒", "土鸡蛋 2 盒 (每盒 30 枚)"),
    ("榛蘑", 1, "250 g 袋", "榛蘑 1 袋 (每袋 250 g)"),
    ("笨鹅", 3, "只", "笨鹅 3 只"),
    ("土豆0", 4, "袋", "土豆0 4 袋"),
])
def test_a_count_is_never_run_into_the_pack_size(name, units, unit, written):
    """Is "7" never written next to "500 g" (as in "7 500 g 袋"), and a bare counting word left alone?"""
    assert household_quantity(name, units, unit) == written


def test_a_unit_alone_says_its_pack_size_once():
    """As a column label, is "500 g 袋" written "袋 (每袋 500 g)" and a counting word left as it is?"""
    assert (unit_words("500 g 袋"), unit_words("只")) == ("袋 (每袋 500 g)", "只")
