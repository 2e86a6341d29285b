"""The shape of the code: data flows one way, and no module grows past what one reader holds.

The layers, lowest first (docs/architecture.md draws them). A module may import from its own
app and from the layers below, never from a layer above; the read-side apps share a floor and
do not import each other. Migrations are left out: they name other apps' migrations, and a
foreign key that must point up is a string ("forums.Forum"), not an import. `musrenbang` is
the project: its settings and URLs sit above everything, its `errors`, `formats`, `spreadsheets`,
`files`, `concurrency`, `form_messages` and `rupiah` (what every app shares) below.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS = [
    {
        "musrenbang.errors",
        "musrenbang.formats",
        "musrenbang.spreadsheets",
        "musrenbang.files",
        "musrenbang.concurrency",
        "musrenbang.form_messages",
        "musrenbang.rupiah",
    },
    {"regions"},
    {"uploads"},
    {"accounts"},
    {"downloads"},
    {"planning"},
    {"catalogue"},
    {"proposals"},
    {"pokir"},
    {"forums"},
    {"delivery"},
    {"public", "dashboards", "reports", "audit", "notifications"},
    {"demo", "benchmarks"},
    {"musrenbang"},
]
LAYER_OF = {name: floor for floor, names in enumerate(LAYERS) for name in names}
APPS = sorted(name for name in LAYER_OF if "." not in name)
MAX_LINES = 400


def owner(module: str) -> str | None:
    """The layer name a dotted module belongs to (the longest listed prefix), or None for a library."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        if name in LAYER_OF:
            return name
    return None


def modules_of(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imports_of(path: Path, app: str):
    """(line, module, what) for every name a file imports, relative imports resolved, lazy ones
    included: `what` is module.name for `from module import name`, so that owner() can tell
    `from musrenbang import errors` (below everything) from `from musrenbang import urls`."""
    package = path.relative_to(ROOT).with_suffix("").parts
    if package[-1] == "__init__":
        package = package[:-1]
    else:
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            for alias in node.names:
                yield node.lineno, module, f"{module}.{alias.name}"


def upward_imports(app: str) -> list[str]:
    own = owner(app)
    found = []
    for path in modules_of(app):
        for line, module, what in imports_of(path, app):
            target = owner(what)
            if target is None or target == own:
                continue
            if LAYER_OF[target] > LAYER_OF[own] or (LAYER_OF[target] == LAYER_OF[own] and target != own):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return sorted(set(found))


@pytest.mark.parametrize("app", APPS)
def test_no_app_imports_a_layer_above_it_or_beside_it(app):
    assert upward_imports(app) == []


def test_the_check_catches_an_upward_import(tmp_path, monkeypatch):
    # The check itself must be able to fail: a proposals module importing forums is found.
    fake = tmp_path / "proposals"
    fake.mkdir()
    (fake / "x.py").write_text("from forums.models import Forum\nfrom .models import Proposal\n")
    (tmp_path / "proposals" / "migrations").mkdir()
    (tmp_path / "proposals" / "migrations" / "0001.py").write_text("import forums\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert upward_imports("proposals") == ["proposals/x.py:1 imports forums.models"]


def test_every_app_is_on_a_layer():
    # A new app must be placed on a floor here (and in docs/architecture.md) before it can land.
    local = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert local <= set(APPS)


def test_no_module_outside_migrations_and_tests_is_over_400_lines():
    long = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "tests", ".git"} or "migrations" in parts:
            continue
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES:
            long.append(f"{path.relative_to(ROOT)}: {lines}")
    assert long == []
