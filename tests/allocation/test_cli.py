"""``python -m courtyard.allocation INSTANCE.json``, run as the county would run it."""

import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

ROOT = Path(__file__).resolve().parents[2]

GOOD = {
    "items": [{"id": "free_range_chicken", "price_fen": 8800, "demand": 120}],
    "households": [{"id": "h17", "weight": 1.0, "prior_income_fen": 0,
                    "capacity": {"free_range_chicken": 5}}],
}


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "courtyard.allocation", *map(str, args)],
        cwd=ROOT, capture_output=True, timeout=60,
    )


def write(tmp_path, content, name="instance.json"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path


def test_good_instance_prints_the_result(tmp_path):
    """Does a good instance print the contract's result as JSON and exit 0, silently?"""
    done = run(write(tmp_path, GOOD))
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert orjson.loads(done.stdout) == {
        "allocation": [{"household": "h17", "item": "free_range_chicken", "units": 5}],
        "shortfall": {"free_range_chicken": 115},
        "income_fen": {"h17": 44000},
    }


@pytest.mark.parametrize("shape", ["sparse", "dense"])
def test_same_input_same_bytes(tmp_path, shape):
    """Do two runs on the same file print byte-identical output (both supply shapes)?"""
    from tests.support.allocation_instances import county_instance, dense_instance

    make = county_instance if shape == "sparse" else dense_instance
    path = write(tmp_path, make(400, seed=5))
    first, second = run(path), run(path)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout


def _bad(**changes):
    instance = json.loads(json.dumps(GOOD))
    for key, value in changes.items():
        target, field = {
            "price": (instance["items"][0], "price_fen"),
            "demand": (instance["items"][0], "demand"),
            "weight": (instance["households"][0], "weight"),
            "prior": (instance["households"][0], "prior_income_fen"),
            "capacity": (instance["households"][0], "capacity"),
        }[key]
        target[field] = value
    return instance


BAD = [
    ("unknown-item", _bad(capacity={"goat": 1}), "unknown item 'goat'"),
    ("negative-capacity", _bad(capacity={"free_range_chicken": -1}),
     "capacity['free_range_chicken']: must not be negative"),
    ("negative-demand", _bad(demand=-3), "demand: must not be negative"),
    ("negative-prior", _bad(prior=-1), "prior_income_fen: must not be negative"),
    ("non-integer-price", _bad(price=88.5), "price_fen: must be a whole number"),
    ("non-integer-capacity", _bad(capacity={"free_range_chicken": 1.5}), "must be a whole number"),
    ("zero-weight", _bad(weight=0), "weight: must be a number greater than 0"),
    ("negative-weight", _bad(weight=-0.5), "weight: must be a number greater than 0"),
    ("malformed-json", b'{"items": [', "malformed JSON"),
    ("not-utf8", b'{"items": "\xff"}', "malformed JSON"),
    ("not-an-object", b"[]", "instance: must be a JSON object"),
    ("empty-file", b"", "malformed JSON"),
]


@pytest.mark.parametrize("content, fragment", [pytest.param(c, f, id=n) for n, c, f in BAD])
def test_bad_input_exits_2_with_one_line(tmp_path, content, fragment):
    """Is bad input refused with status 2, nothing on stdout and one line on stderr naming it?"""
    path = write(tmp_path, content)
    done = run(path)
    assert done.returncode == 2
    assert done.stdout == b""
    message = done.stderr.decode()
    assert message.count("\n") == 1 and message.endswith("\n")
    assert fragment in message
    assert str(path) in message


def test_missing_file(tmp_path):
    """Is a missing file reported with status 2 and its name?"""
    done = run(tmp_path / "nowhere.json")
    assert done.returncode == 2
    message = done.stderr.decode()
    assert message.count("\n") == 1
    assert "nowhere.json: cannot read" in message


@pytest.mark.parametrize("args", [(), ("a.json", "b.json")])
def test_wrong_arguments_print_usage(args):
    """Without exactly one file argument, does it print the usage line and exit 2?"""
    done = run(*args)
    assert done.returncode == 2
    assert done.stderr.decode().startswith("usage: python -m courtyard.allocation")


def test_command_imports_stay_light(tmp_path):
    """Does the command run without importing Flask, SQLAlchemy or the QP solver?"""
    path = write(tmp_path, GOOD)
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['courtyard.allocation', {str(path)!r}]\n"
        "try:\n"
        "    runpy.run_module('courtyard.allocation', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in ('flask', 'sqlalchemy', 'clarabel', 'scipy') if m in sys.modules)\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, timeout=60)
    assert done.stderr.decode().endswith("[]"), done.stderr


def test_standard_json_fallback_prints_the_same_bytes(tmp_path):
    """Without orjson, does the command fall back to the json module and print the same bytes?"""
    from tests.support.allocation_instances import county_instance

    instance = county_instance(200, items=5, seed=2)
    for household in instance["households"]:  # non-ASCII ids must come out the same too
        household["id"] = "王家-" + household["id"]
    path = write(tmp_path, instance)
    probe = (
        "import runpy, sys\n"
        "sys.modules['orjson'] = None\n"
        f"sys.argv = ['courtyard.allocation', {str(path)!r}]\n"
        "runpy.run_module('courtyard.allocation', run_name='__main__')\n"
    )
    fallback = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                              timeout=60)
    assert fallback.returncode == 0, fallback.stderr
    assert fallback.stdout == run(path).stdout
    assert '"王家-h'.encode() in fallback.stdout
