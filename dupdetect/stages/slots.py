"""Placeholder slots of a family's template, and what each member filled in.

Inside every passage a member shares with its family's template, the two
match keys are aligned (:func:`dupdetect.stages.align.matching_runs`, word by word
for space-delimited text) and the stretches between shared runs are *gaps*.

- A gap whose template side holds a placeholder marks an *explicit* slot
  (with a short neighbouring change one character away: ``x月底`` ->
  ``6月10日`` is one slot). The template's placeholders are all slots.
- A short gap without a placeholder marks an *implicit* slot when it behaves
  like one: two or more members put different things there, or what stands
  there is a number or date, or is followed by a title (``X市长`` vs ``林市长``).
- Every other gap (a reworded phrase, an added or dropped sentence) is an
  :class:`~dupdetect.model.types.Edit`.

A slot's span is the union of the gaps that mark it; each member's fill is
the text aligned to that whole span, as it stands in the member's original
text (Traditional stays Traditional). The template is then rebuilt: its
text without chrome, each slot written ``{n}``.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from dupdetect.model.config import SlotConfig
from dupdetect.model.types import (
    DocPair,
    Edit,
    Family,
    FamilySlots,
    Normalized,
    Removal,
    Slot,
    SlotKind,
    Span,
    TemplateText,
)
from dupdetect.stages.align import matching_runs
from dupdetect.text import PLACEHOLDER, to_simplified

_DATE_UNITS = frozenset("年月日号")
_MAX_BETWEEN = 3  # template characters around the placeholders of one gap that still make it one slot ("xx县xx")
_NUMBER_RE = re.compile(r"\d|[一二三四五六七八九十百千万零〇两]+[年月日号届次个]")
_TITLE_AFTER_RE = re.compile(r"^(书记|市长|县长|区长|省长|镇长|乡长|主任|局长|部长|同志|主席|委员|先生|女士)")

Range = tuple[int, int]


@dataclass(frozen=True, slots=True)
class MemberText:
    """What slot finding needs of one member: its text, key and chrome."""

    text: str
    norm: Normalized
    removals: tuple[Removal, ...] = ()


@dataclass(frozen=True, slots=True)
class _Alignment:
    """One passage of a member aligned to the template: shared runs in key coordinates."""

    member: str
    template_range: Range
    member_range: Range
    runs: tuple[tuple[int, int, int, int], ...]
    run_ends: tuple[int, ...]  # template end of each run (increasing), to find a run by bisection

    def gaps(self, *, bridge: bool = False) -> Iterator[tuple[Range, Range]]:
        """Template and member key ranges between the shared runs.

        With ``bridge``, a one-character run next to a pure insertion or
        deletion does not split the gaps around it (``水`` shared by chance by
        ``水利局局长`` and ``治水办主任``).
        """
        raw = list(self._raw_gaps())
        if not bridge:
            yield from raw
            return
        pending: tuple[Range, Range] | None = None
        for gap in raw:
            if pending and _bridgeable(pending, gap):
                gap = ((pending[0][0], gap[0][1]), (pending[1][0], gap[1][1]))
            elif pending:
                yield pending
            pending = gap
        if pending:
            yield pending

    def _raw_gaps(self) -> Iterator[tuple[Range, Range]]:
        ta, ma = self.template_range[0], self.member_range[0]
        for a0, a1, b0, b1 in (*self.runs, (self.template_range[1], 0, self.member_range[1], 0)):
            if a0 > ta or b0 > ma:
                yield (ta, a0), (ma, b0)
            ta, ma = max(ta, a1), max(ma, b1)

    def gap_around(self, t_range: Range) -> int:
        """How many template key characters the unmatched stretch holding ``t_range`` spans (0 inside a run)."""
        runs = self.runs
        i = bisect.bisect_right(self.run_ends, t_range[0])  # the first run ending after the range starts
        start = runs[i - 1][1] if i else self.template_range[0]
        end = runs[i][0] if i < len(runs) else self.template_range[1]
        return max(0, end - start) if end >= t_range[1] else 0

    def to_member(self, t_range: Range) -> Range | None:
        """The member key range aligned to a template key range inside this passage."""
        lo, hi = self.template_range
        if not (lo <= t_range[0] and t_range[1] <= hi):
            return None
        return self._map(t_range[0], start=True), self._map(t_range[1], start=False)

    def _map(self, pos: int, *, start: bool) -> int:
        """Member position of a template slot boundary.

        A start maps to where its gap starts (text the member inserted just
        before the slot belongs to it), an end to where its gap ends.
        """
        runs = self.runs
        i = bisect.bisect_left(self.run_ends, pos)  # the first run that does not end before ``pos``
        m_end = runs[i - 1][3] if i else self.member_range[0]  # end of the previous run
        if i == len(runs):
            return m_end if start else self.member_range[1]
        a0, _, b0, _ = runs[i]
        if pos < a0 or (pos == a0 and not start):
            return m_end if start else b0
        if pos == a0:  # a start at a run: keep an insertion right before it
            t_end = runs[i - 1][1] if i else self.template_range[0]
            return m_end if t_end == a0 else b0
        return b0 + (pos - a0)


def _bridgeable(before: tuple[Range, Range], after: tuple[Range, Range]) -> bool:
    """Two gaps one character apart, one of them a pure insertion or deletion."""
    close = after[0][0] - before[0][1] <= 1 and after[1][0] - before[1][1] <= 1
    pure = any(r[0] == r[1] for r in (*before, *after))
    return close and pure


def family_slots(
    family: Family,
    pairs: Sequence[DocPair],
    members: Mapping[str, MemberText],
    *,
    config: SlotConfig = SlotConfig(),
) -> FamilySlots:
    """Slots, fills and edits of one family, and its template with numbered slots.

    Args:
        family: the family (its ``template`` is the reference).
        pairs: pairs between the template and other members (others are ignored).
        members: text, key and chrome of each member.
        config: size limits of fills and implicit slots.
    """
    if family.template is None:
        return FamilySlots((), (), None)
    template = members[family.template]
    alignments = list(_align(family, pairs, members, template))
    explicit, implicit = _slot_ranges(template, members, alignments, config)
    slots = _fill(family.id, template, members, alignments, explicit, implicit, config)
    edits = _edits(family.id, template, members, alignments, slots)
    return FamilySlots(slots, edits, rebuild_template(family, template, slots))


def member_fills(
    slots: Sequence[Slot],
    pair: DocPair,
    template: tuple[str, MemberText],
    member: tuple[str, MemberText],
    *,
    config: SlotConfig = SlotConfig(),
) -> tuple[Slot, ...]:
    """What one more document (a new speech, not in the family) fills into a family's known ``slots``: each
    slot with that member's fill alone (none where it has the template's text, a placeholder, or cut the
    stretch), read off its ``pair`` with the ``template`` as :func:`family_slots` reads a member's.

    ``template`` and ``member``: each one's id and text."""
    (template_id, template_text), (member_id, member_text) = template, member
    texts = {template_id: template_text, member_id: member_text}
    family = Family(id="", members=(template_id, member_id), template=template_id, roles={})
    alignments = list(_align(family, [pair], texts, template_text))
    ranges = [_key_range(template_text, slot.span) for slot in slots]
    out: list[Slot] = []
    for run in _adjacent_runs(slots, ranges):
        # a slot family_slots cut in two (a date placeholder right before another) is read whole and cut again
        whole = (ranges[run[0]][0], ranges[run[-1]][1])
        key = template_text.norm.key[whole[0] : whole[1]]
        kind = slots[run[0]].kind
        found = _member_ranges(whole, key, kind, texts, alignments, config)
        parts = _split_adjacent(template_text, texts, whole, kind, found)
        if len(parts) != len(run):  # (not cut as the family's members were: the whole fill goes to the first)
            parts = [(whole, kind, found)] + [(whole, kind, {}) for _ in run[1:]]
        for i, (_, _, filled) in zip(run, parts, strict=True):
            at = filled.get(member_id)
            fills = {} if at is None else {member_id: original_text(member_text, at)}
            spans = {} if at is None else {member_id: original_span(member_text, at)}
            out.append(replace(slots[i], fills=fills, fill_spans=spans))
    return tuple(out)


def _adjacent_runs(slots: Sequence[Slot], ranges: Sequence[Range]) -> Iterator[list[int]]:
    """The slots in runs of explicit ones that touch in the template's key (one cut slot), else alone."""
    run: list[int] = []
    for i, slot in enumerate(slots):
        if run and slot.kind == "explicit" == slots[run[-1]].kind and ranges[run[-1]][1] == ranges[i][0]:
            run.append(i)
            continue
        if run:
            yield run
        run = [i]
    if run:
        yield run


def _align(
    family: Family, pairs: Sequence[DocPair], members: Mapping[str, MemberText], template: MemberText
) -> Iterator[_Alignment]:
    words = not template.norm.cjk
    members_of = frozenset(family.members)
    for pair in sorted(pairs, key=lambda p: (p.a, p.b)):
        other = pair.b if pair.a == family.template else pair.a
        if other == family.template or other not in members_of or family.template not in (pair.a, pair.b):
            continue
        member = members[other]
        for passage in pair.passages:
            kt, km = (passage.key_a, passage.key_b) if pair.a == family.template else (passage.key_b, passage.key_a)
            runs = matching_runs(template.norm.key[kt.start : kt.end], member.norm.key[km.start : km.end], words=words)
            shifted = tuple((a0 + kt.start, a1 + kt.start, b0 + km.start, b1 + km.start) for a0, a1, b0, b1 in runs)
            run_ends = tuple(run[1] for run in shifted)
            yield _Alignment(other, (kt.start, kt.end), (km.start, km.end), shifted, run_ends)


def _slot_ranges(
    template: MemberText, members: Mapping[str, MemberText], alignments: Sequence[_Alignment], config: SlotConfig
) -> tuple[list[Range], list[Range]]:
    """Template key ranges of the explicit slots and of the implicit ones."""
    key = template.norm.key
    explicit = [(m.start(), m.end()) for m in re.finditer(re.escape(PLACEHOLDER), key)]
    candidates: list[tuple[Range, str, str]] = []  # (template range, member, what the member has there)
    substitutions: Counter[tuple[str, str, str]] = Counter()
    for al in alignments:
        member_key = members[al.member].norm.key
        gaps = list(al.gaps())
        for i, (t, m) in enumerate(gaps):
            t_text, m_text = key[t[0] : t[1]], member_key[m[0] : m[1]]
            if (
                PLACEHOLDER in t_text
                and PLACEHOLDER not in m_text
                and len(m_text) <= config.max_fill
                and len(t_text) - t_text.count(PLACEHOLDER) <= _MAX_BETWEEN
            ):  # (a member that dropped or rewrote a stretch holding placeholders has no fill there: an edit)
                explicit.append(_absorb(t, gaps, i, key, config))
        for t, m in al.gaps(bridge=True):
            t_text, m_text = key[t[0] : t[1]], member_key[m[0] : m[1]]
            if PLACEHOLDER in t_text + m_text:
                continue
            if 0 < t[1] - t[0] <= config.max_implicit and 0 < len(m_text) <= config.max_implicit:
                candidates.append((t, al.member, m_text))
                substitutions[(al.member, t_text, m_text)] += 1
    systematic = {(t, m) for (_, t, m), n in substitutions.items() if n >= 2}
    merged = _merge(explicit)
    in_explicit = _Cover(merged)
    implicit = [r for r in _join_dates(_merge([t for t, _, _ in candidates]), key) if not in_explicit(r)]  # non-empty
    differing = _differing(implicit, candidates, alignments)
    reworded = _reworded(candidates, alignments)
    return merged, [
        r
        for r, (who, values, over) in zip(implicit, differing, strict=True)
        if len(who) / max(1, over, len(who)) >= config.implicit_min_share
        and not (who <= reworded and (len(who) < over or len(values) == 1) and over > 1)  # a spinner's swap
        and _slot_like(template, members, alignments, r, systematic)
    ]


_REWORDED_GAPS = 0.01  # a member with more placeholder-free changes than this per template character is reworded


def _reworded(candidates: Sequence[tuple[Range, str, str]], alignments: Sequence[_Alignment]) -> set[str]:
    """The members that change a word every hundred characters or so (a synonym spinner's copies).

    Where only such members differ from the template, and some member kept its text or they all
    wrote the same word (one spinner's dictionary), the difference is their edit, not a slot.
    """
    changes = Counter(member for _, member, _ in candidates)
    aligned: Counter[str] = Counter()
    for al in alignments:
        aligned[al.member] += al.template_range[1] - al.template_range[0]
    return {m for m, n in changes.items() if n > _REWORDED_GAPS * aligned[m]}


def _differing(
    ranges: Sequence[Range], candidates: Sequence[tuple[Range, str, str]], alignments: Sequence[_Alignment]
) -> list[tuple[set[str], set[str], int]]:
    """For each template range, the members that differ inside it, what they wrote, and how many passages hold it.

    A slot is where members put their own text; a place where 2 of 600 copies
    changed a character is an edit, however many distinct values that makes.
    One sort and a bisection per range: linear in the family, not ranges
    times members.
    """
    found = sorted((t[0], member, text) for t, member, text in candidates)
    starts = [t0 for t0, _, _ in found]
    over_starts = sorted(al.template_range[0] for al in alignments)
    over_ends = sorted(al.template_range[1] for al in alignments)
    out = []
    for r0, r1 in ranges:
        inside = found[bisect.bisect_left(starts, r0) : bisect.bisect_left(starts, r1)]
        over = bisect.bisect_right(over_starts, r0) - bisect.bisect_left(over_ends, r1)  # passages holding it
        out.append(({m for _, m, _ in inside}, {text for _, _, text in inside}, over))
    return out


def _join_dates(ranges: Sequence[Range], key: str) -> list[Range]:
    """Join ranges one date unit apart: ``6`` + ``30日`` -> ``6月30日``."""
    joined: list[Range] = []
    for start, end in ranges:
        if joined and start - joined[-1][1] == 1 and key[start - 1] in _DATE_UNITS:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _absorb(t: Range, gaps: Sequence[tuple[Range, Range]], i: int, key: str, config: SlotConfig) -> Range:
    """A placeholder gap with a short placeholder-free change one character before or after it."""
    start, end = t
    for j in (i - 1, i + 1):
        if 0 <= j < len(gaps):
            other = gaps[j][0]
            near = other[0] - end <= 1 if j > i else start - other[1] <= 1
            if near and PLACEHOLDER not in key[other[0] : other[1]] and other[1] - other[0] <= config.max_implicit:
                start, end = min(start, other[0]), max(end, other[1])
    return start, end


def _merge(ranges: Sequence[Range]) -> list[Range]:
    """Overlapping ranges joined; empty ranges dropped."""
    merged: list[Range] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _slot_like(
    template: MemberText,
    members: Mapping[str, MemberText],
    alignments: Sequence[_Alignment],
    t: Range,
    systematic: set[tuple[str, str]],
) -> bool:
    """Whether a placeholder-free difference behaves like a slot rather than an edit.

    It does when members consistently differ there (three or more distinct
    values counting the template's), when a member makes the same
    substitution there as in other places (a name filled in everywhere), when
    a value is a number or date, or when a title follows it.
    """
    own = template.norm.key[t[0] : t[1]]
    values = {own}
    seen = set()
    for al in alignments:
        if len(values) >= 3:  # decided
            break
        if al.member in seen:  # the first passage of each member that covers ``t`` counts
            continue
        m_range = al.to_member(t)
        if m_range is not None:
            seen.add(al.member)
            values.add(members[al.member].norm.key[m_range[0] : m_range[1]])
    if len(values) >= 3 or any(_NUMBER_RE.search(v) for v in values):
        return True
    if any((own, v) in systematic for v in values):
        return True
    after = template.norm.to_span(t[1], min(t[1] + 3, len(template.norm.key)))
    return bool(_TITLE_AFTER_RE.match(to_simplified(template.text[after.start : after.end])))


def _fill(
    family_id: str,
    template: MemberText,
    members: Mapping[str, MemberText],
    alignments: Sequence[_Alignment],
    explicit: Sequence[Range],
    implicit: Sequence[Range],
    config: SlotConfig,
) -> tuple[Slot, ...]:
    """Number the slots in text order and read each member's fill off its alignment."""
    specs: list[tuple[Range, SlotKind, dict[str, Range]]] = []
    for t_range, kind in sorted([(r, "explicit") for r in explicit] + [(r, "implicit") for r in implicit]):
        template_key = template.norm.key[t_range[0] : t_range[1]]
        found = _member_ranges(t_range, template_key, kind, members, alignments, config)  # type: ignore[arg-type]
        specs.extend(_split_adjacent(template, members, t_range, kind, found))  # type: ignore[arg-type]
    return tuple(
        Slot(
            family=family_id,
            slot=number,
            template_text=original_text(template, t_range),
            fills={m: original_text(members[m], r) for m, r in sorted(found.items())},
            span=template.norm.to_span(*t_range),
            kind=kind,
            fill_spans={m: original_span(members[m], r) for m, r in sorted(found.items())},
        )
        for number, (t_range, kind, found) in enumerate(specs, start=1)
    )


def _member_ranges(
    t_range: Range,
    template_key: str,
    kind: SlotKind,
    members: Mapping[str, MemberText],
    alignments: Sequence[_Alignment],
    config: SlotConfig,
) -> dict[str, Range]:
    """The key range each member aligns to a slot (first passage that covers it)."""
    found: dict[str, Range] = {}
    for al in alignments:
        m_range = al.to_member(t_range)
        if m_range is None or al.member in found:
            continue
        m_key = members[al.member].norm.key[m_range[0] : m_range[1]]
        if kind == "explicit" and (PLACEHOLDER in m_key or len(m_key) > config.max_fill):
            continue  # left unfilled, or rewritten beyond a fill
        if not m_key and al.gap_around(t_range) - (t_range[1] - t_range[0]) > _MAX_BETWEEN:
            continue  # dropped with the text around it (a cut, a preview): no fill, an edit
        if kind == "implicit" and m_key == template_key:
            continue  # kept the template's own value
        found[al.member] = m_range
    return found


_DATE_PREFIX_RE = re.compile(
    r"[\d〇零一二三四五六七八九十两百千]+(?:[年月日号][\d〇零一二三四五六七八九十两百千]*)*[年月日号]?"
)
_DATE_PLACEHOLDER_RE = re.compile(r"[年月日号]|\d|^[xX×]+$")


def _split_adjacent(
    template: MemberText, members: Mapping[str, MemberText], t_range: Range, kind: SlotKind, found: dict[str, Range]
) -> list[tuple[Range, SlotKind, dict[str, Range]]]:
    """Cut a slot made of a date placeholder right before another one (``x月x日某某镇``).

    Every fill must start with a date or number; it is cut after it.
    """
    key = template.norm.key
    tokens = [i for i in range(*t_range) if key[i] == PLACEHOLDER]
    if kind != "explicit" or len(tokens) < 2 or tokens[1] != tokens[0] + 1 or tokens[0] != t_range[0]:
        return [(t_range, kind, found)]
    if not _DATE_PLACEHOLDER_RE.search(original_text(template, (tokens[0], tokens[1]))):
        return [(t_range, kind, found)]
    cuts = {}
    for member, (m0, m1) in found.items():
        match = _DATE_PREFIX_RE.match(members[member].norm.key, m0, m1)
        if match is None or match.end() in (m0, m1):
            return [(t_range, kind, found)]
        cuts[member] = match.end()
    first = {m: (r[0], cuts[m]) for m, r in found.items()}
    rest = {m: (cuts[m], r[1]) for m, r in found.items()}
    return [
        ((t_range[0], tokens[1]), kind, first),
        *_split_adjacent(template, members, (tokens[1], t_range[1]), kind, rest),
    ]


def original_span(member: MemberText, key_range: Range) -> Span:
    """Where a key range stands in the original text, without white space at its ends (empty: where it was)."""
    return member.norm.to_span(*key_range).stripped(member.text)


def original_text(member: MemberText, key_range: Range) -> str:
    """A key range as it stands in the original text, chrome left out."""
    start, end = key_range
    if end <= start:
        return ""
    span = member.norm.to_span(start, end)
    if not member.removals:
        return member.text[span.start : span.end].strip()
    pieces = []
    pos = span.start
    for r in sorted(member.removals, key=lambda r: r.span):
        if r.span.end <= pos or r.span.start >= span.end:
            continue
        pieces.append(member.text[pos : r.span.start])
        pos = max(pos, r.span.end)
    pieces.append(member.text[pos : span.end])
    return "".join(pieces).strip()


def _edits(
    family_id: str,
    template: MemberText,
    members: Mapping[str, MemberText],
    alignments: Sequence[_Alignment],
    slots: Sequence[Slot],
) -> tuple[Edit, ...]:
    """Every gap that lies outside all slots."""
    in_slot = _Cover([_key_range(template, s.span) for s in slots])
    edits = []
    for al in alignments:
        member = members[al.member]
        for t, m in al.gaps():
            if in_slot(t):
                continue
            edits.append(
                Edit(
                    family=family_id,
                    doc=al.member,
                    template_span=template.norm.to_span(*t),
                    template_text=original_text(template, t),
                    span=member.norm.to_span(*m),
                    text=original_text(member, m),
                )
            )
    return tuple(sorted(edits, key=lambda e: (e.doc, e.template_span, e.span)))


class _Cover:
    """Whether a range touches one of some ranges: it overlaps one, or is empty and lies inside or at the edge of one.

    For a non-empty range ``t`` that is ``any(t[0] < r[1] and r[0] < t[1] for r in ranges)``.
    """

    def __init__(self, ranges: Sequence[Range]) -> None:
        ordered = sorted(ranges)
        self._starts = [r[0] for r in ordered]
        self._reach: list[int] = []  # the furthest end of the ranges up to each one
        for r in ordered:
            self._reach.append(max(r[1], self._reach[-1]) if self._reach else r[1])

    def __call__(self, t: Range) -> bool:
        if t[0] == t[1]:  # some range with start <= t[0] <= end
            k = bisect.bisect_right(self._starts, t[0])
            return bool(k) and self._reach[k - 1] >= t[0]
        k = bisect.bisect_left(self._starts, t[1])  # some range with start < t[1] and end > t[0]
        return bool(k) and self._reach[k - 1] > t[0]


def _key_range(member: MemberText, span: Span) -> Range:
    """The key range of an original span (inverse of ``Normalized.to_span``)."""
    lo, hi = member.norm.key_index([span.start, span.end]).tolist()
    return lo, hi


def rebuild_template(family: Family, template: MemberText, slots: Sequence[Slot]) -> TemplateText:
    """The template's text without its chrome, each slot replaced by ``{n}``."""
    marks = sorted(
        [(s.span.start, s.span.end, "{" + str(s.slot) + "}") for s in slots]
        + [(r.span.start, r.span.end, "") for r in template.removals],
        key=lambda m: (m[0], -m[1]),
    )
    pieces = []
    pos = 0
    for start, end, replacement in marks:
        if start < pos:
            continue
        pieces.append(template.text[pos:start])
        pieces.append(replacement)
        pos = end
    pieces.append(template.text[pos:])
    text = re.sub(r"\n\s*\n\s*\n", "\n\n", "".join(pieces)).strip()
    return TemplateText(family=family.id, doc=family.template or "", text=text)
