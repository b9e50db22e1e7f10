"""dupdetect: find template plagiarism in collections of speeches.

>>> from dupdetect import Document, Span, detect
>>> text = "同志们:" + "今天召开全市安全生产工作会议,主要任务是总结去年工作,部署今年任务。" * 3
>>> docs = [Document(id=i, source=i, text=text, span=Span(0, len(text)), encoding="utf-8") for i in ("a", "b")]
>>> report = detect(docs)
>>> [f.members for f in report.families]
[('a', 'b')]
"""

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
from dupdetect.model.errors import ConfigError, DecodeError, DupdetectError, InputError
from dupdetect.model.evaluate import Evaluation, Score, evaluate
from dupdetect.model.report import tool_version
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

__version__ = tool_version()

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
