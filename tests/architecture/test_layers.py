"""The package keeps its layers: no upward import, no blueprint importing another, no import cycle.

The rules (see docs/architecture.md): models import no service or page; services import no page,
blueprint or web plumbing; the allocation engine imports nothing of the app; a blueprint never
imports another blueprint; and no two modules import each other, even through a function-local
import. The checker reads the source with ``ast`` and imports nothing; the made-up graphs below show
that it fails when a rule is broken.
"""

from pathlib import Path

from tests.architecture.import_graph import Import, cycles, layer_of, read_graph, upward_imports

PACKAGE_ROOT = Path(__file__).resolve().parents[2] / "courtyard"


def _describe(broken):
    return "\n".join(f"{edge.source} (line {edge.line}) imports {edge.target}: {why}" for edge, why in broken)


def test_no_module_imports_upward_or_across_blueprints():
    broken = upward_imports(read_graph(PACKAGE_ROOT))
    assert not broken, "imports against the layer rules:\n" + _describe(broken)


def test_no_two_modules_import_each_other():
    found = cycles(read_graph(PACKAGE_ROOT))
    assert not found, "import cycles:\n" + "\n".join(" ↔ ".join(cycle) for cycle in found)


def test_every_module_belongs_to_a_layer_or_is_the_engine():
    modules = {edge.source for edge in read_graph(PACKAGE_ROOT)}
    assert "courtyard.services.pledges.pledges" in modules  # the graph was really read
    outside = sorted(m for m in modules if layer_of(m) is None and not m.startswith("courtyard.allocation"))
    assert not outside, f"modules in no layer (add them to LAYERS in tests/architecture/import_graph.py): {outside}"


def _edge(source, target, local=False):
    return Import(source, target, 1, local)


def test_the_checker_refuses_each_kind_of_upward_import():
    graph = [
        _edge("courtyard.models.pledges", "courtyard.services.money.ledger"),
        _edge("courtyard.services.pledges.pledges", "courtyard.web.form_pages", local=True),
        _edge("courtyard.services.visits.visits", "courtyard.shared_pages.visits"),
        _edge("courtyard.messages.outbox", "courtyard.team.views"),
        _edge("courtyard.allocation.engine", "courtyard.models"),
        _edge("courtyard.county.deliveries", "courtyard.team.forms"),
    ]
    broken = upward_imports(graph)
    assert [edge.source for edge, _why in broken] == [edge.source for edge in graph]
    assert [why for _edge_, why in broken] == [
        "models imports services", "services imports web", "services imports web", "services imports blueprints",
        "the allocation engine imports nothing of the app", "blueprint county imports blueprint team"]


def test_the_checker_lets_imports_run_downwards():
    graph = [
        _edge("courtyard.county.deliveries", "courtyard.shared_pages.trace"),
        _edge("courtyard.shared_pages.trace", "courtyard.services.trace.trace"),
        _edge("courtyard.services.trace.trace", "courtyard.models"),
        _edge("courtyard.services.allocation.allocation_runs", "courtyard.allocation"),
        _edge("courtyard.models", "courtyard.extensions"),
        _edge("courtyard.app", "courtyard.county"),
        _edge("courtyard.county.views", "courtyard.county.forms"),
    ]
    assert upward_imports(graph) == []
    assert cycles(graph) == []


def test_the_checker_finds_a_cycle_even_through_a_function_local_import():
    graph = [
        _edge("courtyard.services.allocation.allocation_runs", "courtyard.services.deliveries.delivery_rounds"),
        _edge("courtyard.services.deliveries.delivery_rounds", "courtyard.services.allocation.allocation_runs", local=True),
        _edge("courtyard.services.money.ledger", "courtyard.models"),
        _edge("courtyard.services.a", "courtyard.services.b"),
        _edge("courtyard.services.b", "courtyard.services.c"),
        _edge("courtyard.services.c", "courtyard.services.a"),
    ]
    assert cycles(graph) == [
        ["courtyard.services.a", "courtyard.services.b", "courtyard.services.c"],
        ["courtyard.services.allocation.allocation_runs", "courtyard.services.deliveries.delivery_rounds"],
    ]


def test_the_graph_is_read_from_source_as_python_resolves_it(tmp_path):
    root = tmp_path / "courtyard"
    files = {
        "__init__.py": "",
        "models/__init__.py": "from courtyard.models.pledges import Pledge\n",
        "models/pledges.py": "Pledge = object\n",
        "services/__init__.py": "",
        "services/ledger.py": "from courtyard.models import Pledge\n",
        "services/pledges.py": (
            "from courtyard.services import ledger\n"
            "from . import ledger as again\n"
            "def pay():\n"
            "    from courtyard.web.pages import show\n"
        ),
        "web/__init__.py": "",
        "web/pages.py": "import courtyard.services.pledges\nshow = 1\n",
        "county/__init__.py": "from courtyard.county import views\n",
        "county/views.py": "from courtyard.county import bp\nimport os\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    graph = {(e.source, e.target, e.local) for e in read_graph(root)}
    assert graph == {
        ("courtyard.models", "courtyard.models.pledges", False),
        ("courtyard.services.ledger", "courtyard.models", False),
        ("courtyard.services.pledges", "courtyard.services.ledger", False),  # a module, not the package
        ("courtyard.services.pledges", "courtyard.web.pages", True),
        ("courtyard.web.pages", "courtyard.services.pledges", False),
        ("courtyard.county", "courtyard.county.views", False),  # the views' import of the blueprint is not an edge
    }
    edges = read_graph(root)
    assert [why for _edge_, why in upward_imports(edges)] == ["services imports web"]
    assert cycles(edges) == [["courtyard.services.pledges", "courtyard.web.pages"]]
