"""``python -m courtyard.allocation INSTANCE.json``: print the allocation as JSON.

Exit status 0 with the result on standard output; exit status 2 with a one-line message on
standard error when the file cannot be read, is not JSON, or is not a valid instance. Imports stay
light (numpy and orjson only) so the command starts fast.
"""

from __future__ import annotations

import sys

try:
    import orjson

    def _loads(raw):
        return orjson.loads(raw)

    def _dumps(value):
        return orjson.dumps(value)

except ImportError:  # pragma: no cover - orjson is a base requirement; this is the slow path
    import json

    def _loads(raw):
        return json.loads(raw)

    def _dumps(value):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


from .collector import paused
from .engine import solve
from .explain import result_of
from .validate import AllocationInputError, validate

USAGE = "usage: python -m courtyard.allocation INSTANCE.json"


def _one_line(text) -> str:
    return " ".join(str(text).split())


def main(argv=None) -> int:
    """Run the command; return the exit status.

    The cyclic garbage collector is paused meanwhile (see :mod:`.collector`): reading and
    writing make about a million small dicts and lists and no cycles.
    """
    with paused():
        return _run(argv)


def _run(argv):
    args = sys.argv[1:] if argv is None else list(argv)
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr)
        return 2
    path = args[0]
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        print(_one_line(f"{path}: cannot read: {error.strerror or error}"), file=sys.stderr)
        return 2
    try:
        instance = _loads(raw)
    except ValueError as error:  # orjson.JSONDecodeError, json.JSONDecodeError, bad UTF-8
        print(_one_line(f"{path}: malformed JSON: {error}"), file=sys.stderr)
        return 2
    del raw
    try:
        problem = validate(instance)
    except AllocationInputError as error:
        print(_one_line(f"{path}: {error}"), file=sys.stderr)
        return 2
    del instance  # what allocate() does, letting the parsed JSON's memory go to the result
    output = _dumps(result_of(problem, solve(problem)))
    sys.stdout.buffer.write(output)
    sys.stdout.buffer.write(b"\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
