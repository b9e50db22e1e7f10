"""A new speech against a saved index: the indexed documents it shares passages with, the families it
joins, and what it fills into each family template's slots.

Each speech of a page (a compilation page gives several) is cleaned, normalised, segmented, shingled
and signed exactly as the scan that built the index did (its settings and its stock shingles). Its
units' band keys are looked up (:class:`~dupdetect.index.bands.BandKeys`); the indexed documents are
ranked by how many of its units share a bucket with theirs, and the first ``candidates`` of them are
aligned with it directly (every pair of units sharing shingles, as the scan aligns members with their
templates). The documents whose pair is substantial (the families' own test) are its matches. Each
family a match is in is joined: the speech is aligned with the family's template (once), and its
fills are read off that alignment at the template's known slots (:func:`~dupdetect.stages.slots.member_fills`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import cached_property
from typing import cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dupdetect.engine.pipeline import align_direct, clean_document, kept_texts, kept_units, without_site_chrome
from dupdetect.engine.work import WorkDir
from dupdetect.index.bands import anchor_keys, distinct
from dupdetect.index.store import DAMAGED, SavedIndex, damaged
from dupdetect.model import columns
from dupdetect.model.answer import Answer, Joined, Match
from dupdetect.model.columns import Rows, SortedIds
from dupdetect.model.config import Config
from dupdetect.model.types import (
    Cleaned,
    DocPair,
    Document,
    DocumentInfo,
    Family,
    I32Array,
    Normalized,
    Removal,
    Role,
    Slot,
    Span,
)
from dupdetect.stages.families import is_substantial
from dupdetect.stages.fingerprint import drop_hashes, sentence_anchors, shingle_ranges, signatures
from dupdetect.stages.normalize import normalize
from dupdetect.stages.segment import segment_rows
from dupdetect.stages.slots import MemberText, family_slots, member_fills
from dupdetect.views.answer_page import Indexed

CANDIDATES = 20
"""Indexed documents aligned with a speech, the most band hits first (and every joined family's template)."""


def _within(placeholders: tuple[Span, ...], pair: DocPair, side_a: bool) -> int:
    """How many of a document's ``placeholders`` lie in the passages it shares in ``pair`` (its side ``a`` or b)."""
    spans = [p.a if side_a else p.b for p in pair.passages]
    return sum(1 for ph in placeholders if any(s.start <= ph.start and ph.end <= s.end for s in spans))


class _Indexed:
    """The indexed speeches as a query reads them: ids, cleaned rows, texts (read from their file when
    asked for), units, key lengths; a candidate's match key is made again from its text when it is
    aligned (the index does not keep the keys: normalising one speech takes about a millisecond)."""

    def __init__(self, store: WorkDir, config: Config) -> None:
        self.config = config
        self.store = store
        narrow = store.read_table("documents", columns=["id", "removals"])  # (the titles are most of its bytes)
        self.ids: list[str] = narrow.column("id").to_pylist()
        self._removals = narrow.column("removals").combine_chunks()
        self.position = SortedIds(self.ids)
        self._cleaned: Rows[Cleaned] | None = None
        self.texts = kept_texts(store)
        self.units = kept_units(store)
        self.key_lengths = store.read_array("norm_lengths")
        self._norms: dict[int, Normalized] = {}

    @property
    def cleaned(self) -> Rows[Cleaned]:
        """The cleaned documents' table, read when first asked for (a page shows what the index says of a
        document; a query needs only their chrome)."""
        if self._cleaned is None:
            try:
                self._cleaned = columns.cleaned_rows(self.store.read_table("documents"))
            except DAMAGED as exc:
                raise damaged(self.store.path.parent.parent, exc) from None
        return self._cleaned

    def removals(self, doc: int) -> tuple[Removal, ...]:
        """Document ``doc``'s chrome, as the scan found it."""
        return tuple(Removal(Span(r["start"], r["end"]), r["rule"]) for r in self._removals[doc].as_py())

    def forget(self) -> None:
        """Let the keys made so far go (each speech keeps those of its own candidates)."""
        self._norms.clear()

    def norm(self, doc: int) -> Normalized:
        """Document ``doc``'s match key, as the scan made it (its text, less its chrome)."""
        if doc not in self._norms:
            drop = [r.span for r in self.removals(doc)]
            self._norms[doc] = normalize(self.texts[doc], drop=drop, config=self.config.normalize)
        return self._norms[doc]


class Searcher:
    """An opened index, ready for speeches: its corpus, families and slots read from its work folder (the
    arrays memory-mapped, each text and key read when a candidate needs it)."""

    def __init__(self, index: SavedIndex, *, candidates: int = CANDIDATES) -> None:
        self.index = index
        self.config = index.config
        self.candidates = candidates
        try:
            self._open(index)
        except DAMAGED as exc:
            raise damaged(index.path, exc) from None

    def close(self) -> None:
        """Let go of the index: its texts' file and its generation's lock."""
        self.corpus.texts.file.close()
        self.index.close()

    def _open(self, index: SavedIndex) -> None:
        store = WorkDir.open(index.work, through="slots")
        self.corpus = _Indexed(store, self.config)
        # where each document stands, from two columns; a family's row and its slots are read when it is joined
        places = store.read_table("family_places")
        # (most documents are in no family and have no role)
        places = places.filter(pc.or_(pc.is_valid(places.column("family")), pc.is_valid(places.column("role"))))
        docs, families, roles = (places.column(name).to_pylist() for name in ("doc", "family", "role"))
        self.family_of: dict[str, str] = {d: f for d, f in zip(docs, families, strict=True) if f is not None}
        self.role_of: dict[str, str] = {d: r for d, r in zip(docs, roles, strict=True) if r is not None}
        self.stock = np.array(store.read_array("stock"))
        self.site_chrome = columns.site_chrome_from(store.read_table("site_chrome"))
        self.first_unit = self.corpus.units.arrays()[0]
        self._mosaics: dict[str, list[str]] | None = None

    def ask(self, documents: Iterable[Document]) -> Iterator[Answer]:
        """An answer for each speech of each document (a compilation page holds several)."""
        for doc in documents:
            parts = [
                without_site_chrome(c, self.site_chrome, self.config.clean)
                for c in clean_document(doc, config=self.config.clean)
            ]
            keyed = [self._keyed(c) for c in parts]
            answers = [self._answer(c, norm, units) for c, (norm, units) in zip(parts, keyed, strict=True)]
            yield from self._within_page(answers, keyed) if len(answers) > 1 else answers

    def _keyed(self, cleaned: Cleaned) -> tuple[Normalized, I32Array]:
        """A speech's match key and units, made as the scan made the indexed ones'."""
        text = cleaned.doc.text
        norm = normalize(text, drop=[r.span for r in cleaned.removals], config=self.config.normalize)
        return norm, segment_rows(text, norm, config=self.config.segment)

    def _within_page(self, answers: list[Answer], keyed: list[tuple[Normalized, I32Array]]) -> list[Answer]:
        """The speeches of one page, each with the others it shares a substantial passage with (a compilation
        page often holds copies of one template: the scan would put them in one family)."""
        config = self.config
        made = [(a.query, norm, units) for a, (norm, units) in zip(answers, keyed, strict=True)]
        found: list[list[Match]] = [[] for _ in answers]
        for i, j in itertools.combinations(range(len(made)), 2):
            (x, nx, ux), (y, ny, uy) = sorted((made[i], made[j]), key=lambda m: m[0])
            pair = align_direct((x, y), (nx, ny), (ux, uy), config=config)
            if pair is not None and is_substantial(pair, config.families):
                same = made[i][1].key == made[j][1].key
                found[i].append(Match(made[j][0], pair, None, same))
                found[j].append(Match(made[i][0], pair, None, same))
        order = lambda m: (not m.duplicate, -m.pair.shared_chars, m.doc)  # noqa: E731
        return [replace(a, page_matches=tuple(sorted(f, key=order))) for a, f in zip(answers, found, strict=True)]

    def _answer(self, cleaned: Cleaned, norm: Normalized, units: I32Array) -> Answer:
        config = self.config
        self.corpus.forget()
        text = cleaned.doc.text
        speech = MemberText(text, norm, cleaned.removals)
        query = cleaned.doc.id if cleaned.doc.id not in self.corpus.position else f"{cleaned.doc.id} (query)"
        aligned: dict[int, DocPair | None] = {}
        matches = []
        for doc in self._candidates(norm, units):
            pair = aligned[doc] = self._align(query, norm, units, doc)
            if pair is not None and is_substantial(pair, config.families):
                indexed = self.corpus.ids[doc]
                duplicate = len(norm.key) == int(self.corpus.key_lengths[doc]) and (
                    norm.key == self.corpus.norm(doc).key
                )
                families = self._families_of(indexed)
                matches.append(Match(indexed, pair, self.family_of.get(indexed), duplicate, families))
        matches.sort(key=lambda m: (not m.duplicate, -m.pair.shared_chars, -m.pair.similarity, m.doc))
        joined = []
        for family_id in dict.fromkeys(f for m in matches for f in m.families):
            found = self._join(family_id, query, speech, units, aligned)
            # a family is joined through its template, or a member other than a mosaic (a mosaic borrows
            # from two families: a speech that shares the other family's part with it does not join this one)
            through = [m for m in matches if family_id in m.families and self.role_of.get(m.doc) != "mosaic"]
            if (found.pair is not None and is_substantial(found.pair, config.families)) or through:
                joined.append(found)
        alone = [m for m in matches if m.family is None]
        if alone:  # a document in no family yet: with the speech, the two are one (the template: see _pair_template)
            joined.extend(self._pair_template(alone[0], query, speech))
        fuller = self._speech_template(matches, joined, query, speech)
        if fuller:  # (its "fills" of a family's slots would be its own placeholders: its slots say more)
            joined = [replace(j, fills=()) for j in joined] + fuller
        given = cleaned.doc
        return Answer(query, given.source, tuple(matches), tuple(joined), text, given.title, cleaned.removals)

    def shown(self, answers: Iterable[Answer]) -> dict[str, Indexed]:
        """The indexed documents the answers name (matches, templates) as a page shows them."""
        out: dict[str, Indexed] = {}
        for answer in answers:
            for doc_id in [m.doc for m in answer.matches] + [j.template for j in answer.families if j.template]:
                if doc_id not in out and doc_id in self.corpus.position:
                    out[doc_id] = self.indexed(doc_id)
        return out

    def indexed(self, doc_id: str) -> Indexed:
        """An indexed document as a page shows it: what the index says of it, and its text."""
        at = self.corpus.position[doc_id]
        cleaned, text = self.corpus.cleaned[at], self.corpus.texts[at]
        info = DocumentInfo(
            id=doc_id,
            source=cleaned.doc.source,
            span=cleaned.doc.span,
            title=cleaned.doc.title,
            chars=len(text),
            encoding=cleaned.doc.encoding,
            family=self.family_of.get(doc_id),
            role=cast(Role | None, self.role_of.get(doc_id)),
            placeholders=len(self.corpus.norm(at).placeholders),
            duplicate_of=None,
            script=cleaned.info.script,
            date=cleaned.info.date,
            site=cleaned.info.site,
            chrome=cleaned.removals,
            meta=cleaned.doc.meta,
        )
        return Indexed(info, text)

    def pair(self, a: str, b: str) -> DocPair | None:
        """Two indexed documents aligned as the scan aligns a member with its template (ids in order)."""
        i, j = self.corpus.position[a], self.corpus.position[b]
        return self._align(a, self.corpus.norm(i), self.corpus.units[i], j)

    def slots(self, family_id: str) -> list[Slot]:
        """An indexed family's slots, in order, with every member's fills."""
        return self._slots_of(family_id)

    def _candidates(self, norm: Normalized, units: I32Array) -> list[int]:
        """The indexed documents most of whose buckets the speech's units share, most first (then by index)."""
        config = self.config
        shingles = drop_hashes(shingle_ranges(norm, units[:, 2:], config=config.fingerprint), self.stock)
        hits = self.index.keys.lookup(signatures(shingles, config=config.fingerprint))
        length, anchors = config.candidates.sentence_anchor, self.index.anchors
        if length is not None and anchors is not None:  # (a passage however its paragraphs were cut)
            hashes, rows = sentence_anchors(
                [norm], [units[:, 2:]], length=length, stock=self.stock, k=config.fingerprint.char_k
            )
            hits = np.concatenate([hits, anchors.lookup_keys([anchor_keys(hashes)], rows)])
        if not len(hits):
            return []
        docs = np.searchsorted(self.first_unit, hits[:, 1], side="right") - 1
        per_row = distinct((docs << 32) | hits[:, 0])  # (a speech's unit counts once a document; one int64 sort)
        found, counts = np.unique(per_row >> 32, return_counts=True)
        order = np.lexsort((found, -counts))[: self.candidates]
        return [int(d) for d in found[order]]

    def _align(self, query: str, norm: Normalized, units: I32Array, doc: int) -> DocPair | None:
        other = self.corpus.ids[doc]
        pairs = [(query, norm, units), (other, self.corpus.norm(doc), self.corpus.units[doc])]
        (a, na, ua), (b, nb, ub) = sorted(pairs, key=lambda p: p[0])
        return align_direct((a, b), (na, nb), (ua, ub), config=self.config)

    def _join(
        self, family_id: str, query: str, speech: MemberText, units: I32Array, aligned: dict[int, DocPair | None]
    ) -> Joined:
        family = self._family(family_id)
        if family.template is None:
            return Joined(family.id, None, len(family.members), None, ())
        at = self.corpus.position[family.template]
        if at not in aligned:
            aligned[at] = self._align(query, speech.norm, units, at)
        pair = aligned[at]
        if pair is None:
            return Joined(family.id, family.template, len(family.members), None, ())
        template = self._member(family.template)
        fills = member_fills(
            self._slots_of(family.id), pair, (family.template, template), (query, speech), config=self.config.slots
        )
        return Joined(family.id, family.template, len(family.members), pair, fills)

    def _pair_template(self, match: Match, query: str, speech: MemberText) -> list[Joined]:
        """The family a speech makes with its best match in no family, when that document is its template: it
        holds placeholders, more than the speech does (the scan's first rule for a template); its slots are
        found as the scan finds a family's, the speech's fills read off them."""
        template = self._member(match.doc)
        if not template.norm.placeholders or len(template.norm.placeholders) <= len(speech.norm.placeholders):
            return []
        family = Family(id="", members=tuple(sorted((match.doc, query))), template=match.doc, roles={})
        found = family_slots(family, [match.pair], {match.doc: template, query: speech}, config=self.config.slots)
        fills = tuple(
            replace(
                s,
                fills={k: v for k, v in s.fills.items() if k == query},
                fill_spans={k: v for k, v in s.fill_spans.items() if k == query},
            )
            for s in found.slots
        )
        return [Joined("", match.doc, 1, match.pair, fills)]

    def _speech_template(
        self, matches: list[Match], joined: list[Joined], query: str, speech: MemberText
    ) -> list[Joined]:
        """When the speech holds placeholders, more than every document it matches and every template it
        joined, it is their template (a fuller one than the index holds): its slots, found as the scan finds a
        family's, with what each matched document filled into them."""
        if not speech.norm.placeholders or not matches:
            return []
        # placeholders in the text shared (the scan's test for a template): a copy's own appendix form does not count
        pairs = [(m.doc, m.pair) for m in matches] + [(j.template, j.pair) for j in joined if j.template and j.pair]
        mine = max(_within(speech.norm.placeholders, pair, pair.a == query) for _, pair in pairs)
        theirs = max(_within(self._member(d).norm.placeholders, pair, pair.a == d) for d, pair in pairs)
        if not mine or mine <= theirs:
            return []
        members = {query: speech} | {m.doc: self._member(m.doc) for m in matches}
        family = Family(id="", members=tuple(sorted(members)), template=query, roles={})
        found = family_slots(family, [m.pair for m in matches], members, config=self.config.slots)
        return [Joined("", query, len(matches), None, tuple(found.slots))]

    def _member(self, doc_id: str) -> MemberText:
        at = self.corpus.position[doc_id]
        return MemberText(self.corpus.texts[at], self.corpus.norm(at), self.corpus.removals(at))

    def _families_of(self, doc_id: str) -> tuple[str, ...]:
        """The families an indexed document is in: its own, and for a mosaic each family it is a member of."""
        family = self.family_of.get(doc_id)
        if self.role_of.get(doc_id) != "mosaic":
            return (family,) if family is not None else ()
        if self._mosaics is None:  # (each mosaic's families, found once for all: mosaics are few)
            members = self._families.column("members").combine_chunks()
            flat = pc.list_flatten(members).to_pylist()
            ids = self._families.column("id").to_pylist()
            rows = pc.list_parent_indices(members).to_numpy()
            self._mosaics = {}
            for at in np.flatnonzero(np.array([self.role_of.get(d) == "mosaic" for d in flat], dtype=bool)).tolist():
                self._mosaics.setdefault(flat[at], []).append(ids[rows[at]])
        found = self._mosaics.get(doc_id, [])
        return tuple(dict.fromkeys([*([family] if family else []), *found]))

    @cached_property
    def _families(self) -> pa.Table:
        """The families' table, read when a mosaic is first matched."""
        return self._read(self.corpus.store.read_table, "families")

    def _rows(self, name: str, column: str, value: str) -> pa.Table:
        """A table's rows whose ``column`` is ``value``, read alone (the row groups holding them)."""
        return self._read(self.corpus.store.read_rows, name, column, value)

    def _read(self, read: Callable[..., pa.Table], *args: str) -> pa.Table:
        """A table read after the index was opened: a damaged file is one line naming the index."""
        try:
            return read(*args)
        except DAMAGED as exc:
            raise damaged(self.index.path, exc) from None

    def _family(self, family_id: str) -> Family:
        row = self._rows("families", "id", family_id)
        (family,) = columns.families_from(row, columns.PLACES.empty_table(), ()).families
        return family

    def _slots_of(self, family_id: str) -> list[Slot]:
        """The family's slots, in order (their fills are the members'; the speech's are read apart)."""
        rows = self._rows("slots", "family", family_id)
        return list(columns.slot_rows(rows))
