"""The package's layers: what each may import (docs/ARCHITECTURE.md draws them).

cli -> index -> engine -> views / stages / read -> model -> text. A view draws a saved
report and never runs a stage; the model and the text utilities import no
layer above them; only the engine starts processes; only the CLI knows typer.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dupdetect"

# layer -> the layers (and top-level modules) it may import from dupdetect
ALLOWED = {
    "text": set(),
    "model": {"model", "text"},
    "read": {"read", "model", "text"},
    "stages": {"stages", "model", "text"},
    "views": {"views", "model", "read", "text"},
    "engine": {"engine", "stages", "read", "views", "model", "text"},
    "index": {"index", "engine", "stages", "read", "views", "model", "text"},
    "cli": {"index", "engine", "stages", "read", "views", "model", "text"},
    "__init__": {"engine", "stages", "read", "views", "model", "text"},
    "__main__": {"cli"},
}
PROCESSES = {"multiprocessing", "concurrent"}  # (read/ may run an external converter: antiword)


def _modules() -> dict[str, list[str]]:
    """Each module of the package (``views/marks.py``) with every module it imports."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        imports: list[str] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imports += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imports += [node.module] + [f"{node.module}.{a.name}" for a in node.names if node.module == "dupdetect"]
        found[path.relative_to(PACKAGE).as_posix()] = imports
    return found


def _layer(module: str) -> str:
    return module.split("/")[0].removesuffix(".py")


def test_every_module_belongs_to_a_known_layer() -> None:
    assert {_layer(m) for m in _modules()} <= set(ALLOWED)


def test_no_layer_imports_one_above_it() -> None:
    wrong = []
    for module, imports in _modules().items():
        for name in imports:
            parts = name.split(".")
            if parts[0] != "dupdetect" or len(parts) < 2:
                continue
            if parts[1] not in ALLOWED[_layer(module)]:
                wrong.append(f"{module} imports {name}")
    assert wrong == []


def test_only_the_engine_starts_processes_and_only_the_cli_knows_typer() -> None:
    modules = _modules()
    processes = [m for m, imports in modules.items() if PROCESSES & {i.split(".")[0] for i in imports}]
    assert processes and all(_layer(m) == "engine" for m in processes), processes
    typer = [m for m, imports in modules.items() if any(i.split(".")[0] == "typer" for i in imports)]
    assert typer == ["cli.py"]
