"""Shared fixtures: the bundled corpus and one scan of it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from dupdetect import Document, Report, Span, scan
from dupdetect.model.types import DocumentInfo

ROOT = Path(__file__).resolve().parent.parent
SPEECHES = ROOT / "fixtures" / "speeches"


@pytest.fixture(scope="session")
def speeches_dir() -> Path:
    return SPEECHES


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    return json.loads((ROOT / "fixtures" / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fixture_report() -> Report:
    return scan([str(SPEECHES)])


def make_doc(doc_id: str, text: str) -> Document:
    """A document built in a test, with its whole text as its span."""
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Document(id=doc_id, source=doc_id, text=text, span=Span(0, len(text)), encoding="utf-8", title=title)


def make_info(doc_id: str, **fields: Any) -> DocumentInfo:
    """A report's document built in a test: one character long, titled by ``fields`` or untitled, in no family
    unless ``fields`` say otherwise."""
    values: dict[str, Any] = {
        "source": doc_id,
        "span": Span(0, 1),
        "title": "",
        "chars": 1,
        "encoding": "utf-8",
        "family": None,
        "role": None,
        "placeholders": 0,
        "duplicate_of": None,
    }
    return DocumentInfo(id=doc_id, **{**values, **fields})


def bench_module() -> ModuleType:
    """``benchmarks/bench.py``, imported (its corpus generator and figures)."""
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench
