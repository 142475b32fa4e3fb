"""The package's layout tells the data flow: its subpackages stand in pipeline order, and every import
goes down that order (or stays in its own subpackage), never back up, with no import cycle.

    sources -> model -> pages -> files:  markdown, i18n -> project -> lessons -> render -> outputs -> site

What is checked is every ``import`` in src/microlearn, read with ast (lazy imports inside functions
included); ``python -m pytest tests/test_architecture.py -q`` shows a violation with its file and line."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "microlearn"

# Lowest first. A module may import from its own floor or any floor below it.
FLOORS = [
    {"errors", "files", "epoch", "__init__"},
    {"markdown"},
    {"i18n"},
    {"project"},
    {"lessons"},
    {"translate"},
    {"render"},
    {"outputs"},
    {"site"},
    {"serve"},
    {"cli", "__main__"},
]
FLOOR = {room: i for i, rooms in enumerate(FLOORS) for room in rooms}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("microlearn", *parts)).removesuffix(".__init__")
        found[name] = path
    return found


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path) -> list[tuple[str, int]]:
    """The microlearn modules ``path`` imports, with the line of each import."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "microlearn":
            assert node.level == 0, f"{path}:{node.lineno}: relative import; write it absolute"
            known = modules()
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                out.append((sub if sub in known else node.module, node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.level:
            out.append((f"relative:{node.module}", node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "microlearn"]
    return out


def test_every_module_stands_on_a_floor():
    assert sorted({room(m) for m in modules()} - set(FLOOR)) == []


def test_imports_only_go_down_the_pipeline():
    wrong = []
    for module, path in modules().items():
        for target, line in imports(path):
            if target.startswith("relative:"):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: relative import")
            elif FLOOR[room(target)] > FLOOR[room(module)]:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {room(module)} imports {target}, "
                             f"which stands above it")
    assert wrong == []


def test_no_import_cycle_between_modules():
    graph = {m: {t for t, _ in imports(p) if t in modules() and t != m} for m, p in modules().items()}
    # a package's __init__ imported for a name counts as the package itself, which is fine
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []


@pytest.mark.parametrize("private", ["._catalog", "._didModify", ".NameToInfo", ".start_dir"])
def test_no_reaching_into_a_library_s_private_state(private):
    found = [f"{p.relative_to(PACKAGE)}:{i}" for p in modules().values()
             for i, line in enumerate(p.read_text(encoding="utf-8").split("\n"), 1) if re.search(re.escape(private) + r"\b", line)]
    assert found == []


def test_a_slide_kind_is_one_entry_and_one_partial():
    """deck.html includes templates/slides/<kind>.html for each slide: the kinds deckplan makes and the
    partials of the built-in theme are the same set."""
    from microlearn.render.deckplan import SLIDE_KINDS

    partials = PACKAGE.parent.parent / "themes" / "default" / "templates" / "slides"
    assert sorted(SLIDE_KINDS) == sorted(p.stem for p in partials.glob("*.html"))


def test_an_output_format_is_one_module_and_one_entry():
    """Every module of outputs/ that makes files is in OUTPUTS, and has what the plan calls."""
    from microlearn.outputs import OUTPUTS

    helpers = {"__init__", "context", "pdf_joiners", "archive"}
    names = sorted(p.stem for p in (PACKAGE / "outputs").glob("*.py") if p.stem not in helpers)
    assert sorted(output.__name__.rsplit(".", 1)[1] for output in OUTPUTS) == names
    for output in OUTPUTS:
        for attribute in ("NAME", "LANGUAGE_UNIT", "enabled", "lesson_paths", "lesson_files", "site_files"):
            assert hasattr(output, attribute), f"{output.__name__} has no {attribute}"
        if output.LANGUAGE_UNIT:
            for attribute in ("AFTER_LESSONS", "language_inputs", "language_files"):
                assert hasattr(output, attribute), f"{output.__name__} has no {attribute}"
