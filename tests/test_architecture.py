"""The shape of the tree (docs/architecture.md), checked on every import in src/circleback.

Areas are ordered: an area imports only areas below it, so two areas never import each other
in a circle. Inside the code, layers are ordered too: models < services and queries <
interfaces (forms, views, urls, api, template tags, the CLI); a lower layer never imports a
higher one, in its own area or any other. Operations that span areas sit above every area's
services and below the interfaces. Imports inside functions count: they are dependencies too.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "circleback"

# Lowest first. Each may import those before it, never one after it.
AREAS = [
    "accounts",
    "search",
    "people",
    "journal",
    "loops",
    "insights",
    "paths",
    "groups",
    "jobs",
    "reminders",
    "interchange",
    "demo",
]
# Shared by everything, importing no area: settings helpers, text folding, bulk writes, the
# health check and database routing.
KERNEL = {"conf", "text", "db", "ops", "__init__"}
# Above every area's services and queries; below the interfaces.
OPERATIONS = "operations"
# Pieces every area's screens and endpoints share, above accounts and below every other area:
# the web shell's helpers and form widgets, the API's tokens, errors and paging (not its root,
# which mounts every area's router), one-time form tokens.
SHARED = {"web": {"helpers", "widgets", "charts"}, "api": None, "once": None}
SHARED_EXCEPT = {"api": {"root", "urls"}}
# Top: the web shell (home, sign-in, settings, navigation) and the CLI, which use everything.
TOP = {"cli", "web", "api", "urls", "settings", "wsgi", "__main__"}

INTERFACE_FILES = {
    "views",
    "forms",
    "urls",
    "api",
    "tokens_api",
    "account_api",
    "templatetags",
    "lookups",
    "admin",
    "widgets",
    "helpers",
}
MODEL_FILES = {"models"}  # apps.py wires an app up when ready: it may use services

MODELS, DOMAIN, OPS, INTERFACE, SHELL = range(5)
LAYER_NAMES = ["models", "services/queries", "operations", "interfaces", "the shell"]


@dataclass(frozen=True)
class Place:
    area: str  # an area's name, "kernel", "operations", "web-shared" or "top"
    layer: int


def place(module: str) -> Place | None:
    parts = module.split(".")[1:]  # without "circleback"
    if not parts or parts[0] in KERNEL:
        return Place("kernel", MODELS)
    head = parts[0]
    if head == OPERATIONS:
        return Place("operations", OPS)
    if head in SHARED and len(parts) > 1:
        part, wanted = parts[1], SHARED[head]
        if (wanted is None or part in wanted) and part not in SHARED_EXCEPT.get(head, ()):
            return Place("shared", layer_of(parts[1:]))
    if head == "once":
        return Place("shared", MODELS)
    if head in TOP:
        return Place("top", SHELL)
    if head not in AREAS:
        return None
    return Place(head, layer_of(parts[1:]))


def layer_of(rest: list[str]) -> int:
    if not rest or rest[0] in MODEL_FILES:
        return MODELS
    if rest[0] in INTERFACE_FILES:
        return INTERFACE
    return DOMAIN


def rank(p: Place) -> float | None:
    """An area's height; None for operations and the top, which only layers order."""
    if p.area == "kernel":
        return -1
    if p.area == "shared":
        return 0.5  # above accounts (which it reads), below every other area
    if p.area in ("operations", "top"):
        return None
    return AREAS.index(p.area)


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        name = ".".join(rel.with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def imports_of(path: Path) -> list[tuple[int, str]]:
    return _imports_in(path.read_text())


@functools.cache
def _imports_in(source: str) -> list[tuple[int, str]]:
    """Our modules a source imports (parsed once per text: four tests walk every module)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # `from circleback.loops import services` imports the module itself
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return [(line, m) for line, m in found if m.split(".")[0] == "circleback"]


def violations() -> list[str]:
    known = modules()
    problems = []
    for name, path in sorted(known.items()):
        here = place(name)
        if here is None:
            problems.append(f"{name} is in no area: add it to tests/test_architecture.py")
            continue
        for line, target in imports_of(path):
            if target not in known and target.rsplit(".", 1)[0] in known:
                target = target.rsplit(".", 1)[0]  # a name imported from a module
            if target not in known:
                continue
            there = place(target)
            if there is None or (there.area == here.area and there.layer <= here.layer):
                continue
            where = f"{name.replace('.', '/')}.py:{line} imports {target}"
            low, high = rank(here), rank(there)
            if there.layer > here.layer:
                problems.append(
                    f"{where}: {LAYER_NAMES[here.layer]} must not import {LAYER_NAMES[there.layer]}"
                )
            elif here.area != there.area and None not in (low, high) and high >= low:  # type: ignore[operator]
                problems.append(f"{where}: area {here.area} is below {there.area}")
    return problems


def test_no_area_or_layer_imports_upwards() -> None:
    problems = violations()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("module", "target", "why"),
    [
        ("circleback.people.services", "circleback.journal.services", "area people is below"),
        ("circleback.loops.services.meetings", "circleback.loops.views", "must not import"),
        ("circleback.people.models", "circleback.operations.merge", "must not import"),
    ],
)
def test_it_would_catch_an_upward_import(
    module: str, target: str, why: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check is not vacuous: an upward import added to a real module is reported."""
    paths = modules()
    copy = tmp_path / "module.py"
    copy.write_text(paths[module].read_text() + f"\nimport {target}\n")
    monkeypatch.setattr(f"{__name__}.modules", lambda: {**paths, module: copy}, raising=True)
    assert any(why in problem for problem in violations())


def test_every_area_has_the_same_layer_files() -> None:
    """models, services, queries, forms, views, urls, templates/<area>/, tests — each a module
    or a package split by entity. accounts and search have no screens of their own: sign-in,
    first run and settings are the web shell's; search results show on the people list and
    through the CLI."""
    screens = {"people", "journal", "loops", "insights", "paths", "groups", "interchange"}
    # What an area has none of, and why (docs/architecture.md says the same).
    none_of = {
        # no tables and no writes of its own: it reads people and ties; asking for an
        # introduction along a path is a loops write; its screens take query parameters only
        "paths": {"models", "services", "forms"},
        # a generator of sample data: it writes through the other areas' services
        "demo": {"models", "queries"},
    }
    missing = []
    for area in AREAS:
        if not (PACKAGE / area / "__init__.py").exists():
            continue
        wanted = ["models", "services", "queries", "tests"]
        if area in screens:
            wanted += ["forms", "views", "urls", f"templates/{area}"]
        wanted = [name for name in wanted if name not in none_of.get(area, set())]
        for name in wanted:
            base = PACKAGE / area / name
            if not (base.with_suffix(".py").exists() or base.is_dir()):
                missing.append(f"{area}/{name}")
    assert not missing, f"missing layer files: {', '.join(missing)}"


def test_web_holds_no_area_screens() -> None:
    templates = PACKAGE / "web" / "templates" / "web"
    area_dirs = sorted({p.parent.name for p in templates.glob("*/*") if p.is_file()})
    assert area_dirs == [], f"web/templates/web/ has area folders: {area_dirs}"
    views = [p.name for p in (PACKAGE / "web").glob("*_views.py")]
    assert views == [], f"web/ has area view modules: {views}"
