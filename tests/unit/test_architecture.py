"""The layout ARCHITECTURE.md describes, checked: one-way imports, no cycles, small modules.

The import graph is built from the source with ``ast``, every ``import`` counted: module level,
inside functions, and under ``TYPE_CHECKING``. A rule broken here is a design decision to make in
ARCHITECTURE.md first, not a test to loosen.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import faasdrift

PACKAGE = Path(faasdrift.__file__).parent

# The pipeline's stages in order: a stage may import an earlier one, never a later one.
STAGES = ("desired", "live", "snapshot", "compare", "judge", "report")
# Modules every layer may use; they import nothing of faasdrift but each other.
BASE = (
    "faasdrift",
    "model",
    "errors",
    "secrets",
    "schemas",
    "loopback",
    "text",
    "outputs",
    "acyclic",
)
# The one module outside the model the model may use: how untrusted text is shown on one line
# (``Problem`` renders itself with it). It imports nothing at all, so the model stays a leaf.
MODEL_MAY_IMPORT = frozenset({"faasdrift.text"})
MAX_MODULE_LINES = 250
MAX_FUNCTION_LINES = 50
# Each heavy dependency is confined to the modules that turn it into faasdrift's own types.
CONFINED = {
    "httpx": {"faasdrift.live.client", "faasdrift.live.transport"},
    "deepdiff": {"faasdrift.compare"},
    "tenacity": {"faasdrift.live.retry"},
    # Running a program is reading git for ``gate --base-ref``, with a fixed argv: one module.
    "subprocess": {"faasdrift.desired.git"},
    "jsonschema_rs": {"faasdrift.schemas"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, wherever the import statement stands."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def graph() -> dict[str, set[str]]:
    """Module -> the faasdrift modules it imports (``from x import name`` counts x.name if it is
    a module, else x)."""
    known = modules()
    return {
        name: {target for target in imported(path) if target in known and target != name}
        for name, path in known.items()
    }


def layer(module: str) -> str:
    """``base``, a stage's name, ``workflows``, ``cli`` or ``emulator``."""
    part = module.split(".")[1] if "." in module else "faasdrift"
    if part in BASE:
        return "base"
    if part == "__main__":
        return "cli"
    return part


def in_model(module: str) -> bool:
    return module == "faasdrift.model" or module.startswith("faasdrift.model.")


# What each layer may import besides itself and the base: cli -> workflows -> stages -> base, and a
# stage only earlier stages. The CLI loads its commands (the emulator's too) by name, not import.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "cli": frozenset({"workflows", *STAGES}),
    "workflows": frozenset(STAGES),
    "emulator": frozenset(),
    **{stage: frozenset(STAGES[:index]) for index, stage in enumerate(STAGES)},
}


def allowed(source: str, target: str) -> bool:
    """Whether ``source`` may import ``target``."""
    frm, to = layer(source), layer(target)
    if frm == "base":  # the model imports only itself, the rest of the base only the base
        return to == "base" and (
            in_model(target) or not in_model(source) or target in MODEL_MAY_IMPORT
        )
    if to in {"base", frm}:
        return True
    # The emulator serves snapshots as they were saved, so it reads their format.
    return to in MAY_IMPORT[frm] or (frm, target) == ("emulator", "faasdrift.snapshot.format")


def test_imports_point_one_way() -> None:
    wrong = sorted(
        f"{source} imports {target}"
        for source, targets in graph().items()
        for target in targets
        if not allowed(source, target)
    )
    assert wrong == []


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("faasdrift.cli.cmd_check", "faasdrift.workflows.check", True),
        ("faasdrift.workflows.check", "faasdrift.cli.console", False),
        ("faasdrift.live.fetch", "faasdrift.desired.load", True),
        ("faasdrift.desired.load", "faasdrift.live.fetch", False),
        ("faasdrift.report.publish", "faasdrift.workflows.check", False),
        ("faasdrift.model.live", "faasdrift.model.desired", True),
        ("faasdrift.model.live", "faasdrift.errors", False),
        ("faasdrift.model.source", "faasdrift.text", True),
        ("faasdrift.text", "faasdrift.model", True),
        ("faasdrift.errors", "faasdrift.model", True),
        ("faasdrift.emulator.state", "faasdrift.snapshot.format", True),
        ("faasdrift.emulator.state", "faasdrift.live.answers", False),
        ("faasdrift.compare", "faasdrift.emulator", False),
    ],
)
def test_the_rule_itself(source: str, target: str, expected: bool) -> None:
    assert allowed(source, target) is expected


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None (an iterative depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(edges):
        if start in state:
            continue
        path, stack = [start], [iter(sorted(edges[start]))]
        state[start] = 1
        while stack:
            following = next(stack[-1], None)
            if following is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(following) == 1:
                return [*path[path.index(following) :], following]
            elif following not in state:
                state[following] = 1
                path.append(following)
                stack.append(iter(sorted(edges.get(following, ()))))
    return None


def test_what_the_model_may_import_imports_nothing_of_faasdrift() -> None:
    edges = graph()
    assert all(edges[module] == set() for module in MODEL_MAY_IMPORT)


def test_there_is_no_import_cycle() -> None:
    assert find_cycle(graph()) is None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("library", sorted(CONFINED))
def test_heavy_libraries_stay_in_their_module(library: str) -> None:
    users = {
        name
        for name, path in modules().items()
        if any(target.split(".")[0] == library for target in imported(path))
    }
    assert users == CONFINED[library]


def test_modules_and_functions_stay_small() -> None:
    too_big = []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            too_big.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_big.append(f"{name}.{node.name}: {length} lines")
    assert too_big == []
