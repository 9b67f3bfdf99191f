"""Every string of the interface is translatable, and translated into Simplified Chinese."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "courtyard/translations/zh_Hans/LC_MESSAGES/messages.po"


def test_every_message_has_a_chinese_translation():
    """Does the zh_Hans catalog translate every message, keeping its placeholders?"""
    catalog = read_po(PO.open("rb"))
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == []
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == []
    for message in catalog:
        if message.id:
            assert sorted(re.findall(r"%\(\w+\)s", message.id)) == sorted(re.findall(r"%\(\w+\)s", message.string)), message.id


def test_catalog_is_up_to_date_with_the_code(tmp_path):
    """Is every string in the code and templates in the catalog (run `make translations` after adding one)?"""
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
                   cwd=ROOT, check=True)
    in_code = {m.id for m in read_po(pot.open("rb")) if m.id}
    in_catalog = {m.id for m in read_po(PO.open("rb")) if m.id}
    assert sorted(in_code - in_catalog) == []
