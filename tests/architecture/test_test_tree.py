"""The test tree's own rules: tests share helpers only through ``tests/support/``, never through each other."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
SUPPORT = TESTS / "support"


def _modules():
    return sorted(p for p in TESTS.rglob("*.py") if "artifacts" not in p.parts)


def _package_of(path):
    return ".".join(path.relative_to(TESTS.parent).parts[:-1])


def _imported(source, package):
    """Every module (and name) ``source``, a module of ``package``, imports, as dotted names (relative made absolute)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _is_test_module(name):
    last = name.rsplit(".", 1)[-1]
    return name.startswith("tests.") and (last.startswith("test_") or last == "conftest")


def test_no_test_file_imports_another_test_file_or_a_conftest():
    """Does every import of a test module, or of a conftest, fail this test (helpers belong in tests/support/)?"""
    offenders = sorted(f"{path.relative_to(TESTS.parent)} imports {name}" for path in _modules()
                       for name in _imported(path.read_text(encoding="utf-8"), _package_of(path)) if _is_test_module(name))
    assert offenders == [], "\n".join(offenders)


def test_helpers_shared_by_tests_live_in_tests_support():
    """Is every module under tests/ other than test files, conftests and packages' __init__ in tests/support/?"""
    strays = sorted(str(p.relative_to(TESTS.parent)) for p in _modules()
                    if not (p.name.startswith("test_") or p.name in ("conftest.py", "__init__.py"))
                    and SUPPORT not in p.parents)
    assert strays == [], strays


def test_the_checks_see_an_import_of_a_test_file():
    """The checker itself: does it read ``from tests.x.test_y import z`` and ``from .test_y import z`` as
    imports of test files, and ``from tests.support.ladder import Ladder`` as not?"""
    source = "from tests.x.test_y import z\nfrom .test_y import w\nfrom tests.support.ladder import Ladder\n"
    names = list(_imported(source, "tests.deliveries"))
    assert [n for n in names if _is_test_module(n)] == ["tests.x.test_y", "tests.deliveries.test_y"]
    assert "tests.support.ladder.Ladder" in names and not _is_test_module("tests.support.ladder")
