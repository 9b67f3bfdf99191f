"""Names on public notices are masked; the summary's Gini coefficient is right on hand-checked cases."""

import pytest

from courtyard.services.allocation.allocation_summary import gini
from courtyard.text.masking import mask_name


@pytest.mark.parametrize("name, masked", [
    ("张三芳", "张*芳"), ("欧阳小芳", "欧**芳"), ("张三", "张*"), ("张", "*"), ("", ""), (None, ""), (" 李四 ", "李*"),
])
def test_mask_name(name, masked):
    """Does a name keep only its first and last character?"""
    assert mask_name(name) == masked


@pytest.mark.parametrize("values, expected", [
    ([], 0.0), ([0, 0], 0.0), ([5, 5, 5], 0.0), ([0, 0, 0, 10], 0.75), ([1, 2, 3, 4], 0.25),
])
def test_gini(values, expected):
    """Is the Gini coefficient 0 for equal incomes and (n-1)/n when one household has everything?"""
    assert gini(values) == pytest.approx(expected)
