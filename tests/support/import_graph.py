"""Read the package's import graph from source (with ``ast``, importing nothing) and check it against the layers.

``read_graph(root)`` gives every ``courtyard`` module's imports of other ``courtyard`` modules, each
marked as module-level or function-local. ``upward_imports`` and ``cycles`` judge a graph; the
tests run them on the real tree and on small made-up graphs, so a broken rule is seen to fail.

How imports count:

* ``from a.b import c`` is an import of ``a.b.c`` when that is a module, else of ``a.b``.
* A module importing its own parent package (``from courtyard.county import bp`` in
  ``courtyard.county.views``) is the blueprint pattern, not an edge: the package is already being
  initialised whenever one of its modules runs.
* Layer rules apply to every import, module-level or inside a function: an upward import is upward
  wherever it is written.
* Cycles are looked for among module-level imports *and* function-local ones, so an import moved into
  a function to dodge a cycle still counts; ``courtyard.app``, ``courtyard.cli`` and ``courtyard.jobs``
  (the wiring, which imports everything lazily on purpose) are left out of the cycle search.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "courtyard"

BLUEPRINTS = ("public", "auth", "county", "team", "partner", "household", "cooperative", "inbox", "calendar", "api",
              "webhooks")

# Lower layers first; a module may import its own layer and those below it.
LAYERS = (
    ("base", ("courtyard.config", "courtyard.extensions", "courtyard.errors", "courtyard.localtime", "courtyard.text",
              "courtyard.messages.sms_templates")),  # the templates are plain data that config and the SMS sink read
    ("models", ("courtyard.models",)),
    ("clients", ("courtyard.payments", "courtyard.devservices")),
    ("services", ("courtyard.services", "courtyard.messages", "courtyard.exports", "courtyard.demo")),
    ("jobs", ("courtyard.jobs",)),  # the jobs' declarations, which the county's jobs page lists
    ("access", ("courtyard.access",)),
    ("web", ("courtyard.web", "courtyard.shared_pages")),
    ("blueprints", tuple(f"courtyard.{name}" for name in BLUEPRINTS)),
    ("wiring", ("courtyard", "courtyard.app", "courtyard.cli")),
)
ISOLATED = ("courtyard.allocation",)  # the pure engine: imports nothing of the app, and may be imported by any layer
WIRING = ("courtyard.app", "courtyard.cli", "courtyard.jobs")


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    local: bool  # written inside a function


def _within(module, prefix):
    return module == prefix or module.startswith(prefix + ".")


def layer_of(module):
    """``(rank, name)`` of the layer a module belongs to (the longest matching prefix), or None."""
    best = None
    for rank, (name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if _within(module, prefix) and (best is None or len(prefix) > best[2]):
                best = (rank, name, len(prefix))
    return best[:2] if best else None


def blueprint_of(module):
    for name in BLUEPRINTS:
        if _within(module, f"{PACKAGE}.{name}"):
            return name
    return None


def _modules(root):
    """``{dotted name: path}`` for every module under ``root`` (the ``courtyard`` folder)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _resolve(module, is_package, level, name):
    if not level:
        return name
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def read_graph(root):
    """Every import of one ``courtyard`` module by another, read from the source under ``root``."""
    modules = _modules(Path(root))
    imports = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        is_package = path.name == "__init__.py"
        local_nodes = {id(inner) for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                       for inner in ast.walk(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, is_package, node.level, node.module)
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            else:
                continue
            for target in dict.fromkeys(targets):
                while target not in modules and "." in target:
                    target = target.rpartition(".")[0]
                if target in modules and target != module and not module.startswith(target + "."):
                    imports.append(Import(module, target, node.lineno, id(node) in local_nodes))
    return imports


def upward_imports(imports):
    """The imports that break a layer rule, each as ``(import, why)``."""
    broken = []
    for edge in imports:
        source, target = edge.source, edge.target
        if any(_within(source, prefix) for prefix in ISOLATED):
            if not any(_within(target, prefix) for prefix in ISOLATED):
                broken.append((edge, "the allocation engine imports nothing of the app"))
            continue
        if any(_within(target, prefix) for prefix in ISOLATED):
            continue
        source_bp, target_bp = blueprint_of(source), blueprint_of(target)
        if source_bp and target_bp and source_bp != target_bp:
            broken.append((edge, f"blueprint {source_bp} imports blueprint {target_bp}"))
            continue
        below, above = layer_of(source), layer_of(target)
        if below is None or above is None:
            broken.append((edge, "a module outside every layer"))
        elif above[0] > below[0]:
            broken.append((edge, f"{below[1]} imports {above[1]}"))
    return broken


def cycles(imports):
    """Each import cycle (strongly connected set of more than one module), as a sorted list of modules."""
    graph = {}
    for edge in imports:
        if edge.source in WIRING or edge.target in WIRING:
            continue
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):  # Tarjan's algorithm, iterative over the neighbours
        work = [(node, iter(sorted(graph[node])))]
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        while work:
            current, neighbours = work[-1]
            advanced = False
            for nxt in neighbours:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]
                    counter[0] += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[current] = min(low[current], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[current])
            if low[current] == index[current]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == current:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)
