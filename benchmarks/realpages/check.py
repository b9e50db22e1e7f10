#!/usr/bin/env python3
"""Quality checks of the realpages corpus (run after generate.py).

    python benchmarks/realpages/check.py

Prints: document, family and singleton counts; speech lengths; the longest run of characters
two unrelated documents share (between singletons, between a singleton and a family member,
between members of different families), measured on the speech text without page chrome, after
Traditional->Simplified, with punctuation and white space removed and the genre's stock phrases
(sources/stock.py) cut out; and for the congress reports, the longest exact run and the total of
the runs of >= 8 characters they share (their wire formula). It fails (exit 1) if the labels are
inconsistent or a singleton pair shares more than MAX_SINGLETON_RUN characters.
"""

from __future__ import annotations

import itertools
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import opencc  # noqa: E402
import stock  # noqa: E402  (sources/ is on the path after importing generate)

MAX_SINGLETON_RUN = 25
SPUN = ("G22", "G23", "G24", "G25")  # template vs synonym-spun copies: short runs, most of the text aligned
OVERLAPS = ("G26", "G27", "G28", "G29")  # pairs sharing one passage
MAX_SPUN_RUN = 56
MAX_WIRE_RUN = 60
MAX_WIRE_TOTAL = 240
_T2S = opencc.OpenCC("t2s")
_DROP = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)|[\W_]+", re.UNICODE)  # pinyin debris first
_STOCK = sorted({_DROP.sub("", p) for p in stock.STOCK_PHRASES}, key=len, reverse=True)


def key(text: str) -> list[str]:
    """Match text in pieces: simplified, NFKC, no punctuation or spaces, stock phrases cut out."""
    t = _T2S.convert(unicodedata.normalize("NFKC", text))
    t = _DROP.sub("", t)
    for p in _STOCK:
        t = t.replace(p, "|")
    return [x for x in t.split("|") if x]


class SAM:
    """Suffix automaton of a list of strings (pieces joined by distinct separators)."""

    def __init__(self, pieces: list[str]) -> None:
        self.next: list[dict[str, int]] = [{}]
        self.link = [-1]
        self.len = [0]
        last = 0
        for n, piece in enumerate(pieces):
            for ch in piece + chr(0xF0000 + n):
                last = self._add(last, ch)

    def _add(self, last: int, ch: str) -> int:
        cur = len(self.len)
        self.next.append({})
        self.len.append(self.len[last] + 1)
        self.link.append(0)
        p = last
        while p != -1 and ch not in self.next[p]:
            self.next[p][ch] = cur
            p = self.link[p]
        if p != -1:
            q = self.next[p][ch]
            if self.len[p] + 1 == self.len[q]:
                self.link[cur] = q
            else:
                clone = len(self.len)
                self.next.append(dict(self.next[q]))
                self.len.append(self.len[p] + 1)
                self.link.append(self.link[q])
                while p != -1 and self.next[p].get(ch) == q:
                    self.next[p][ch] = clone
                    p = self.link[p]
                self.link[q] = clone
                self.link[cur] = clone
        return cur

    def longest(self, pieces: list[str]) -> tuple[int, str]:
        best, best_s = 0, ""
        for piece in pieces:
            v, length = 0, 0
            for i, ch in enumerate(piece):
                while v and ch not in self.next[v]:
                    v = self.link[v]
                    length = self.len[v]
                if ch in self.next[v]:
                    v = self.next[v][ch]
                    length += 1
                if length > best:
                    best, best_s = length, piece[i - length + 1 : i + 1]
        return best, best_s


def shared_total(a: list[str], b: list[str], floor: int = 8) -> int:
    """Greedy tiling: total length of the shared runs of >= floor characters."""
    a, b = list(a), list(b)
    total = 0
    while True:
        n, s = SAM(a).longest(b)
        if n < floor:
            return total
        total += n
        a = [x for p in a for x in p.split(s)]
        b = [x for p in b for x in p.split(s)]


def main() -> int:
    records, labels, bodies, source = generate.build()
    by_key = {k: i for i, k in source.items()}
    ids = set(bodies)
    fam_of: dict[str, set[str]] = {}
    for f, members in labels["families"].items():
        for m in members:
            fam_of.setdefault(m, set()).add(f)
    amb = {i for a in labels["ambiguous"] for i in a["ids"]}
    singles = set(labels["singletons"])
    errors = []
    listed = [*fam_of, *singles, *amb]
    for i in ids:
        if listed.count(i) != 1:
            errors.append(f"{i} listed {listed.count(i)} times")
    multi = {i for i, fs in fam_of.items() if len(fs) > 1}
    pages = {r["id"] for r in records}
    for i in ids:
        if i.split("#")[0] not in pages:
            errors.append(f"{i}: no such page")
    parts = sorted(i for i in ids if "#" in i)
    print(f"pages (corpus records): {len(records)}; labelled documents: {len(ids)} ({len(parts)} compilation parts)")
    print(
        f"families: {len(labels['families'])}, sizes "
        + ", ".join(f"{f}={len(m)}" for f, m in labels["families"].items())
    )
    print(f"singletons: {len(singles)}; ambiguous: {[a['ids'] for a in labels['ambiguous']]}")
    print(f"in two families (mosaics): {sorted(multi)}")
    print(f"slot fills: {len(labels['slots'])} in {len({s['filler_in'] for s in labels['slots']})} copies")

    national = {i for i in singles if source[i].startswith("N.r")} | set(labels["families"]["G06"])
    provincial = {i for i in singles if source[i].startswith("N.p")}
    news = national | provincial
    for name, group in (
        ("singleton speeches", singles - news),
        ("congress reports", news),
        ("family members", set(fam_of)),
    ):
        lengths = {i: len(re.sub(r"\s", "", bodies[i])) for i in group}
        short = sorted(i for i, n in lengths.items() if n < 600)
        print(
            f"{name}: length without chrome min {min(lengths.values())}, max {max(lengths.values())}"
            + (f"; under 600: {short}" if short else "")
        )

    keys = {i: key(bodies[i]) for i in ids}
    sams = {i: SAM(k) for i, k in keys.items()}

    def pairmax(pairs: list[tuple[str, str]]) -> list[tuple[int, str, str, str]]:
        return sorted(((*sams[a].longest(keys[b]), a, b) for a, b in pairs), key=lambda r: (-r[0], r[2], r[3]))

    plain_singles = sorted(singles - news)
    rows = pairmax(list(itertools.combinations(plain_singles, 2)))
    print(
        f"\nlongest run shared by two singletons ({len(plain_singles)} speeches, {len(rows)} pairs, "
        f"stock phrases cut): {rows[0][0]}"
    )
    for n, s, a, b in rows[:8]:
        print(f"  {n:3d} {a} {b} {s}")
    if rows[0][0] > MAX_SINGLETON_RUN:
        errors.append(f"singletons share a run of {rows[0][0]} characters")

    fam_docs = sorted(fam_of)
    rows = pairmax([(a, b) for a in plain_singles for b in fam_docs if not (news & {a, b})])
    print(f"\nlongest run shared by a singleton and a family member: {rows[0][0]}")
    for n, s, a, b in rows[:5]:
        print(f"  {n:3d} {a} {b} {s}")

    cross = [
        (a, b) for a, b in itertools.combinations(fam_docs, 2) if not (fam_of[a] & fam_of[b]) and not (news & {a, b})
    ]
    rows = pairmax(cross)
    print(f"\nlongest run shared by members of different families ({len(cross)} pairs): {rows[0][0]}")
    for n, s, a, b in rows[:5]:
        print(f"  {n:3d} {a} {b} {s}")

    for name, group in (("national congress reports", national), ("provincial congress reports", provincial)):
        print(f"\n{name} (different sessions share the wire formula only):")
        reports = sorted(group)
        worst_run = worst_total = 0
        for a, b in itertools.combinations(reports, 2):
            if fam_of.get(a, {a}) & fam_of.get(b, {b}):
                continue
            n, s = sams[a].longest(keys[b])
            tot = shared_total(keys[a], keys[b])
            worst_run, worst_total = max(worst_run, n), max(worst_total, tot)
            print(f"  {a} {b}: longest run {n:3d}, runs >= 8 total {tot:4d}")
        print(f"  max longest run {worst_run}, max total {worst_total}")
        if worst_run > MAX_WIRE_RUN or worst_total > MAX_WIRE_TOTAL:
            errors.append(f"{name} share a run of {worst_run} / {worst_total} characters in all")

    raw = {i: [_DROP.sub("", _T2S.convert(unicodedata.normalize("NFKC", bodies[i])))] for i in ids}  # no stock cut
    print(
        f"\nspun families {', '.join(SPUN)}: template vs copy, longest exact run (on the text as written, "
        "and without punctuation), share of each text in runs >= 8 characters"
    )
    for f in SPUN:
        members = labels["families"][f]
        t = next(s["placeholder_in"] for s in labels["slots"] if s["filler_in"] in members)
        for c in sorted(m for m in members if m != t):
            n_exact, _ = SAM([bodies[t]]).longest([bodies[c]])
            n, _ = SAM(raw[t]).longest(raw[c])
            tot = shared_total(raw[t], raw[c])
            print(
                f"  {f} {t} {c}: run {n_exact:3d} ({n:3d} w/o punctuation), aligned "
                f"{tot / len(raw[c][0]):.0%} of the copy, {tot / len(raw[t][0]):.0%} of the template"
            )
            if n_exact > MAX_SPUN_RUN:
                errors.append(f"{f}: {t} and {c} share a run of {n_exact} characters")

    print("\npartial overlaps (one shared passage): longest run, runs >= 8 total, second-longest run")
    for f in OVERLAPS:
        a, b = labels["families"][f]
        n, s = SAM(raw[a]).longest(raw[b])
        rest_a = [x for p in raw[a] for x in p.split(s)]
        rest_b = [x for p in raw[b] for x in p.split(s)]
        n2, _ = SAM(rest_a).longest(rest_b)
        print(f"  {f} {a} {b}: {n:3d}, total {shared_total(raw[a], raw[b]):3d}, next {n2:3d}")

    print("\nhard negatives next to them (no stock phrase cut): longest run, runs >= 8 total")
    pairs = [tuple(by_key[f"H.{k}"] for k in ks) for ks in (("f1a", "f1b"), ("f2a", "f2b"), ("f3a", "f3b"))]
    pairs += [tuple(a["ids"]) for a in labels["ambiguous"]]
    for a, b in pairs:
        n, s = SAM(raw[a]).longest(raw[b])
        print(f"  {a} {b} ({source[a]}, {source[b]}): {n:3d}, total {shared_total(raw[a], raw[b]):3d}  {s[:30]}")

    page_text = {r["id"]: r.get("text") or re.sub(r"<[^>]*>", "", r["html"]) for r in records}
    pkeys = {i: key(page_text[i]) for i in plain_singles if "#" not in i}
    psams = {i: SAM(k) for i, k in pkeys.items()}
    rows = sorted(
        ((*psams[a].longest(pkeys[b]), a, b) for a, b in itertools.combinations(sorted(pkeys), 2)),
        key=lambda r: (-r[0], r[2], r[3]),
    )
    print(f"\nfor information, on whole pages (chrome kept): longest run shared by two singleton pages {rows[0][0]}")
    for n, s, a, b in rows[:3]:
        print(f"  {n:3d} {a} {b} {s}")

    if errors:
        print("\nERRORS:\n  " + "\n  ".join(errors))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
