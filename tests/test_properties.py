"""Property tests: ingest over arbitrary bytes, normalize and segment over arbitrary Unicode.

Whatever the input: no exception escapes; every file is a document or a
warning (or both, when invalid bytes were replaced); every span slices the
original text; the same input gives the same output.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dupdetect.model.config import IngestConfig, SegmentConfig
from dupdetect.model.errors import DecodeError
from dupdetect.model.types import Document, ScanWarning, Span
from dupdetect.read.decode import decode_text
from dupdetect.read.ingest import read_corpus
from dupdetect.stages.normalize import normalize
from dupdetect.stages.segment import segment

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = ["a.txt", "a.md", "a.html", "a.htm", "a.docx", "a.pdf", "a.rtf", "a.doc", "a.jsonl", "a.csv", "a.tsv", "a"]
MAGICS = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf1 ", b"<html>"]
MAGICS += [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"MIME-Version: 1.0\r\n\r\n", b'{"id": "x", "text": "']
SMALL = IngestConfig(max_text_chars=10_000, max_file_bytes=2**20)

# Text the way speeches hold it, and then some: hanzi, placeholders, full-width and CJK punctuation,
# line breaks of every kind, controls, combining marks, astral characters, noncharacters.
PIECES = st.sampled_from(
    [
        *("同志们", "××县", "xx市", "20××年", "X同志", "___", "某某", "。", "，", "！", "“", "”"),
        *("\n", "\r\n", "\u2028", "\x0c", "\x85"),
        *(" ", "\u3000", "\t", "\x00", "\x1b[31m", "\u202e", "\ufeff", "\ufffe", "\uffff", "e\u0301", "\U0001f600"),
        *("ＡＢＣ", "ﬁ", "㍿", "Ⅻ", "安全生产", "會議", "abc def", "1.5", "...", "<script>", "[b]"),
    ]
)
TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=60).map("".join),
)


def _ingest(name: str, data: bytes) -> tuple[tuple[Document, ...], tuple[ScanWarning, ...], str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        documents, warnings = read_corpus([folder], config=SMALL)
        return documents, warnings, str(path)


def _outcome(name: str, data: bytes) -> list[tuple[str, ...]]:
    """What ingest made of a file, without the temporary folder's name."""
    documents, warnings, path = _ingest(name, data)
    made = [(d.id, d.text, d.encoding, d.title, repr(sorted(d.meta.items()))) for d in documents]
    return made + [(w.source.removeprefix(path), w.message) for w in warnings]


@SETTINGS
@given(name=st.sampled_from(NAMES), magic=st.sampled_from(MAGICS), body=st.binary(max_size=2000))
def test_any_bytes_are_a_document_or_a_warning(name: str, magic: bytes, body: bytes) -> None:
    documents, warnings, path = _ingest(name, magic + body)
    assert all(w.source == path or w.source.startswith(path + ":") for w in warnings)
    assert all(d.source == path or d.source.startswith(path + ":") for d in documents)
    if not name.endswith((".jsonl", ".csv", ".tsv")):
        assert len(documents) + len(warnings) >= 1
        assert len(documents) <= 1
        if documents:  # read, perhaps with invalid bytes replaced (and said)
            assert all("replaced with U+FFFD" in w.message for w in warnings)
            assert len(warnings) <= 1
        else:
            assert len(warnings) == 1
    for doc in documents:
        assert doc.span == Span(0, len(doc.text))
        assert len(doc.text) <= 10_000
        for value in (doc.id, doc.text, doc.title, doc.source, *doc.meta, *doc.meta.values()):
            value.encode("utf-8")  # no lone surrogates
    for warning in warnings:
        (warning.source + warning.message).encode("utf-8")
        assert "\n" not in warning.message
    assert _outcome(name, magic + body) == _outcome(name, magic + body)


@SETTINGS
@given(data=st.binary(max_size=3000))
def test_decoding_never_yields_lone_surrogates_and_is_deterministic(data: bytes) -> None:
    try:
        found = decode_text(data)
    except DecodeError:
        return
    found.text.encode("utf-8")
    assert found.replaced == 0 or "\ufffd" in found.text
    assert decode_text(data) == found


@SETTINGS
@given(text=TEXT, cuts=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 40)), max_size=4))
def test_normalize_maps_every_key_character_into_the_text(text: str, cuts: list[tuple[int, int]]) -> None:
    drop = [Span(min(start, len(text)), min(start + length, len(text))) for start, length in cuts]
    norm = normalize(text, drop=drop)
    assert len(norm.starts) == len(norm.ends) == len(norm.key)
    if len(norm.key):
        assert (np.diff(norm.starts) >= 0).all()
        assert (np.diff(norm.ends) >= 0).all()
        assert (norm.starts >= 0).all()
        assert (norm.ends <= len(text)).all()
        assert (norm.starts <= norm.ends).all()
        span = norm.to_span(0, len(norm.key))
        assert 0 <= span.start <= span.end <= len(text)
    for placeholder in norm.placeholders:
        assert 0 <= placeholder.start <= placeholder.end <= len(text)
    again = normalize(text, drop=drop)
    assert again.key == norm.key
    assert np.array_equal(again.starts, norm.starts)
    assert np.array_equal(again.ends, norm.ends)
    assert again.placeholders == norm.placeholders


@SETTINGS
@given(text=TEXT, min_chars=st.integers(1, 80), window=st.integers(20, 120))
def test_segment_units_slice_the_text_in_order(text: str, min_chars: int, window: int) -> None:
    config = SegmentConfig(min_chars=min_chars, max_chars=2 * window, window_chars=window)
    norm = normalize(text)
    units = segment(3, text, norm, config=config)
    previous_end = 0
    for index, unit in enumerate(units):
        assert (unit.doc, unit.index) == (3, index)
        assert 0 <= unit.span.start <= unit.span.end <= len(text)
        assert previous_end <= unit.key_start < unit.key_end <= len(norm.key)
        assert unit.span == norm.to_span(unit.key_start, unit.key_end)
        assert text[unit.span.start : unit.span.end] or not norm.key[unit.key_start : unit.key_end].strip()
        previous_end = unit.key_end
    assert segment(3, text, norm, config=config) == units


@SETTINGS
@given(text=TEXT, cuts=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 40)), max_size=4))
def test_the_offset_map_kept_as_runs_answers_like_the_expanded_arrays(text: str, cuts: list[tuple[int, int]]) -> None:
    drop = [Span(min(start, len(text)), min(start + length, len(text))) for start, length in cuts]
    norm = normalize(text, drop=drop)
    starts, ends = norm.starts, norm.ends
    offsets = np.arange(len(text) + 2)
    assert np.array_equal(norm.key_index(offsets), np.searchsorted(starts, offsets, side="left"))
    assert np.array_equal(norm.key_end_index(offsets), np.searchsorted(ends, offsets, side="right"))
    ranges = np.array([(a, b) for a in range(len(norm.key)) for b in range(a + 1, min(a + 4, len(norm.key)) + 1)])
    if len(ranges):
        expected = np.stack([starts[ranges[:, 0]], ends[ranges[:, 1] - 1]], axis=1)
        assert np.array_equal(norm.spans_of(ranges), expected)
        assert [tuple(s) for s in norm.spans_of(ranges).tolist()] == [
            (norm.to_span(a, b).start, norm.to_span(a, b).end) for a, b in ranges.tolist()
        ]
