"""dupdetect: find template plagiarism in collections of speeches.

>>> from dupdetect import Document, Span, detect
>>> text = "同志们:" + "今天召开全市安全生产工作会议,主要任务是总结去年工作,部署今年任务。" * 3
>>> docs = [Document(id=i, source=i, text=text, span=Span(0, len(text)), encoding="utf-8") for i in ("a", "b")]
>>> report = detect(docs)
>>> [f.members for f in report.families]
[('a', 'b')]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # (what a type checker and an editor see; at run time each name is imported when first used)
    from dupdetect.engine.pipeline import align_pair, clean_corpus, clean_document, detect, scan
    from dupdetect.model.config import (
        AlignConfig,
        CandidateConfig,
        CleanConfig,
        Config,
        FamilyConfig,
        FingerprintConfig,
        IngestConfig,
        NormalizeConfig,
        SegmentConfig,
        SlotConfig,
    )
    from dupdetect.model.errors import ConfigError, DecodeError, DupdetectError, InputError, LabelsError, WorkerError
    from dupdetect.model.evaluate import Evaluation, Score, evaluate
    from dupdetect.model.report import tool_version as tool_version
    from dupdetect.model.serialize import load_report, report_json, report_to_dict
    from dupdetect.model.types import (
        CandidatePair,
        DocPair,
        Document,
        DocumentInfo,
        Edit,
        Family,
        Normalized,
        Paragraph,
        Passage,
        Removal,
        Report,
        ScanWarning,
        Slot,
        Span,
        TemplateText,
    )
    from dupdetect.read.ingest import iter_documents, read_corpus
    from dupdetect.stages.normalize import normalize
    from dupdetect.views.files import family_graph, write_graphml, write_outputs
    from dupdetect.views.html import render_html, write_html
    from dupdetect.views.marks import reread_texts

_WHERE = {
    "AlignConfig": "dupdetect.model.config",
    "CandidateConfig": "dupdetect.model.config",
    "CandidatePair": "dupdetect.model.types",
    "CleanConfig": "dupdetect.model.config",
    "Config": "dupdetect.model.config",
    "ConfigError": "dupdetect.model.errors",
    "DecodeError": "dupdetect.model.errors",
    "DocPair": "dupdetect.model.types",
    "Document": "dupdetect.model.types",
    "DocumentInfo": "dupdetect.model.types",
    "DupdetectError": "dupdetect.model.errors",
    "Edit": "dupdetect.model.types",
    "Evaluation": "dupdetect.model.evaluate",
    "Family": "dupdetect.model.types",
    "FamilyConfig": "dupdetect.model.config",
    "FingerprintConfig": "dupdetect.model.config",
    "IngestConfig": "dupdetect.model.config",
    "InputError": "dupdetect.model.errors",
    "LabelsError": "dupdetect.model.errors",
    "NormalizeConfig": "dupdetect.model.config",
    "Normalized": "dupdetect.model.types",
    "Paragraph": "dupdetect.model.types",
    "Passage": "dupdetect.model.types",
    "Removal": "dupdetect.model.types",
    "Report": "dupdetect.model.types",
    "ScanWarning": "dupdetect.model.types",
    "Score": "dupdetect.model.evaluate",
    "SegmentConfig": "dupdetect.model.config",
    "Slot": "dupdetect.model.types",
    "SlotConfig": "dupdetect.model.config",
    "Span": "dupdetect.model.types",
    "TemplateText": "dupdetect.model.types",
    "WorkerError": "dupdetect.model.errors",
    "align_pair": "dupdetect.engine.pipeline",
    "clean_corpus": "dupdetect.engine.pipeline",
    "clean_document": "dupdetect.engine.pipeline",
    "detect": "dupdetect.engine.pipeline",
    "evaluate": "dupdetect.model.evaluate",
    "family_graph": "dupdetect.views.files",
    "iter_documents": "dupdetect.read.ingest",
    "load_report": "dupdetect.model.serialize",
    "normalize": "dupdetect.stages.normalize",
    "read_corpus": "dupdetect.read.ingest",
    "render_html": "dupdetect.views.html",
    "report_json": "dupdetect.model.serialize",
    "report_to_dict": "dupdetect.model.serialize",
    "reread_texts": "dupdetect.views.marks",
    "scan": "dupdetect.engine.pipeline",
    "tool_version": "dupdetect.model.report",
    "write_graphml": "dupdetect.views.files",
    "write_html": "dupdetect.views.html",
    "write_outputs": "dupdetect.views.files",
}
"""Each public name's module: imported when the name is first used, so ``import dupdetect`` (and a command
such as ``dupdetect query``, which needs a few stages) does not import every stage and view."""

__all__ = [
    "AlignConfig",
    "CandidateConfig",
    "CandidatePair",
    "CleanConfig",
    "Config",
    "ConfigError",
    "DecodeError",
    "DocPair",
    "Document",
    "DocumentInfo",
    "DupdetectError",
    "Edit",
    "Evaluation",
    "Family",
    "FamilyConfig",
    "FingerprintConfig",
    "IngestConfig",
    "InputError",
    "LabelsError",
    "NormalizeConfig",
    "Normalized",
    "Paragraph",
    "Passage",
    "Removal",
    "Report",
    "ScanWarning",
    "Score",
    "SegmentConfig",
    "Slot",
    "SlotConfig",
    "Span",
    "TemplateText",
    "WorkerError",
    "align_pair",
    "clean_corpus",
    "clean_document",
    "detect",
    "evaluate",
    "family_graph",
    "iter_documents",
    "load_report",
    "normalize",
    "read_corpus",
    "render_html",
    "report_json",
    "report_to_dict",
    "reread_texts",
    "scan",
    "write_graphml",
    "write_html",
    "write_outputs",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":  # (read from the installed package's metadata when asked for: 20-60 ms)
        return __getattr__("tool_version")()
    if name not in _WHERE:
        raise AttributeError(f"module 'dupdetect' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, "__version__"})
