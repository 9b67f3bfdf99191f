"""Representatives' phones are masked on every screen but their own unit's."""

import pytest

from courtyard.text.masking import mask_phone


@pytest.mark.parametrize("phone, masked", [("13812345678", "138****5678"), ("", "****"), (None, "****"), ("12345", "****")])
def test_mask_phone(phone, masked):
    """Does a phone keep only its first three and last four digits, and a short one show nothing?"""
    assert mask_phone(phone) == masked
