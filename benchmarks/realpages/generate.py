#!/usr/bin/env python3
"""Write benchmarks/realpages/corpus.jsonl and labels.json from the texts in sources/.

    python benchmarks/realpages/generate.py        # (re)writes both files
    python benchmarks/realpages/generate.py --check  # fails if the files on disk differ

Deterministic: no network, every random choice comes from ``random.Random`` seeded by a fixed
string, and OpenCC's ``s2t`` is the only outside dependency. Two runs write byte-identical files.

What goes in (every text was written for the project, none is copied from a web page):

- ``sources/families/*.txt``, ``sources/overlap/*.txt`` and ``sources/news/r6.txt``: the base texts
  of the families, with ``{name|placeholder}`` slots and ``{@file}`` shared passages;
  ``sources/families.py``: each family's members (fills, edits, transforms, site, own base text),
  the spinner's table, the mosaic, the compilation pages, the news and hand-written singletons, the
  ambiguous pairs;
- ``sources/topics/*.txt``: one bank per topic (openings, section headings, sentences, closings),
  every line used by exactly one singleton speech;
- ``sources/news/*.txt``: congress reports sharing the wire formula of ``news/formula.txt`` (or
  ``news/formula_prov.txt``);
- ``sources/single/*.txt``: hand-written singletons and the ambiguous pairs;
- ``sources/sites.py``: the page chrome of each invented site (for the HTML government sites, the
  whole page: their records carry ``html`` instead of ``text``); ``sources/stock.py``: stock phrases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE / "sources"
sys.path.insert(0, str(SRC))

import families as F  # noqa: E402
import opencc  # noqa: E402
import sites as S  # noqa: E402
import stock  # noqa: E402

_S2T = opencc.OpenCC("s2t")
CN = "零一二三四五六七八九十"
ID_SEED = "realpages-ids-v1"


def s2t(text: str) -> str:
    """OpenCC s2t, kept length-preserving line by line (else character by character)."""
    out = []
    for line in text.split("\n"):
        conv = _S2T.convert(line)
        if len(conv) != len(line):
            conv = "".join(_S2T.convert(ch) for ch in line)
        assert len(conv) == len(line)
        out.append(conv)
    return "\n".join(out)


# --------------------------------------------------------------------------- text with spans


@dataclass
class Text:
    """A text and the spans (slot occurrences) tracked through every edit."""

    s: str
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def safe(self, p: int) -> bool:
        """Whether an edit at position p leaves every span whole."""
        return all(not (a < p < b) for a, b in self.spans.values())


Edit = tuple[int, int, str]


def edit(t: Text, edits: Iterable[Edit]) -> Text:
    """Replace ``t.s[a:b]`` by ``r`` for each (a, b, r); spans follow (insertions at a span's
    start go before it, at its end after it)."""
    eds = sorted(edits, key=lambda e: (e[0], e[1]))
    out: list[str] = []
    last = 0
    for a, b, r in eds:
        if a < last:
            raise ValueError(f"overlapping edits at {a}")
        out.append(t.s[last:a])
        out.append(r)
        last = b
    out.append(t.s[last:])

    def shift(p: int, start: bool) -> int:
        d = 0
        for a, b, r in eds:
            if a < p < b:
                raise ValueError(f"edit {a}:{b} crosses a span boundary at {p}")
            if b < p or (b == p and (a < p or start)):
                d += len(r) - (b - a)
        return p + d

    spans = {}
    for k, (s0, e0) in t.spans.items():
        ns = shift(s0, True)
        spans[k] = (ns, ns if e0 == s0 else shift(e0, False))
    return Text("".join(out), spans)


# --------------------------------------------------------------------------- transforms


def _nth(s: str, sub: str, n: int) -> int:
    p = -1
    for _ in range(n):
        p = s.index(sub, p + 1)
    return p


def tf_cut(t: Text, share: float, **_: Any) -> Text:
    p = int(len(t.s) * share)
    while not t.safe(p):
        p -= 1
    kept = Text(t.s, {k: v for k, v in t.spans.items() if v[0] < p})
    return edit(kept, [(p, len(t.s), "")])


def tf_s2t(t: Text, **_: Any) -> Text:
    return Text(s2t(t.s), dict(t.spans))


def tf_pinyin(t: Text, **_: Any) -> Text:
    eds = [(i + 1, i + 1, f"({S.PINYIN[ch]})") for i, ch in enumerate(t.s) if ch in S.PINYIN and t.safe(i + 1)]
    return edit(t, eds)


_NOISE_CHARS = "abcdefghijkmnopqrstuvwyzABCDEFGHJKLMNPQRSTUVWYZ23456789"
_NOISE_SYMBOLS = ["☆", "◇", "ゞ", "丨", "▍", "→", "︱"]


def tf_noise(t: Text, rng: random.Random, **_: Any) -> Text:
    """Anti-scraping junk: short random ASCII strings and symbols inserted every ~30 characters."""
    n = len(t.s) // 30
    eds = []
    for p in sorted({rng.randrange(1, len(t.s)) for _ in range(n)}):
        if t.s[p - 1] == "\n" or t.s[p] == "\n" or not t.safe(p):
            continue
        roll = rng.random()
        if roll < 0.7:
            tok = "".join(rng.choice(_NOISE_CHARS) for _ in range(rng.randint(2, 5)))
        elif roll < 0.9:
            tok = rng.choice(_NOISE_SYMBOLS)
        else:
            tok = "kb123.net"
        eds.append((p, p, tok))
    return edit(t, eds)


def tf_caption(t: Text, line: int, text: str, sep: str, **_: Any) -> Text:
    p = _nth(t.s, sep, line + 1)
    return edit(t, [(p, p, sep + text)])


def tf_promo(t: Text, text: str, **_: Any) -> Text:
    p = int(len(t.s) * 0.55)
    while True:
        p = t.s.index("。", p) + 1
        if t.s[p] != "\n" and t.safe(p):
            return edit(t, [(p, p, text)])


def tf_inject(t: Text, **_: Any) -> Text:
    """The folded-content line a template site injects mid-sentence."""
    p = int(len(t.s) * 0.45)
    while True:
        p = t.s.index("，", p) + 1
        if t.safe(p):
            return edit(t, [(p, p, "（剩余内容已折叠，登录后点击展开阅读全文）")])


def tf_lose(t: Text, char: str, share: float, rng: random.Random, **_: Any) -> Text:
    where = [i for i, ch in enumerate(t.s) if ch == char]
    lost = rng.sample(where, round(len(where) * share))
    return edit(t, [(i, i + 1, "") for i in lost])


def tf_wrap(t: Text, rng: random.Random, **_: Any) -> Text:
    """Text extracted from a PDF: each paragraph indented and hard-wrapped every ~35 characters,
    a page number line every 26 lines."""
    width = rng.randint(32, 38)
    eds: list[Edit] = []
    lines = 0
    page = 1
    start = 0
    for para in t.s.split("\n"):
        if start:
            eds.append((start, start, "　　"))
        k = width
        while k < len(para) - 3:
            p = start + k
            while not t.safe(p):
                p += 1
            lines += 1
            brk = "\n"
            if lines % 26 == 0:
                page += 1
                brk = f"\n- {page - 1} -\n"
            eds.append((p, p, brk))
            k = p - start + width
        lines += 1
        start += len(para) + 1
    return edit(t, eds)


def tf_flatten(t: Text, **_: Any) -> Text:
    return edit(t, [(m.start(), m.end(), "") for m in re.finditer(r"\n+", t.s)])


def tf_pagemarks(t: Text, rng: random.Random, **_: Any) -> Text:
    """A preview site's page breaks: "N、" at the start of each page, wherever the page cut."""
    eds: list[Edit] = [(0, 0, "1、")]
    p, n = 0, 1
    while True:
        p += rng.randint(300, 430)
        if p >= len(t.s) - 40:
            break
        while not t.safe(p):
            p += 1
        n += 1
        eds.append((p, p, f"\n{n}、"))
    return edit(t, eds)


_HALF = {"，": ",", "：": ":", "（": "(", "）": ")", "；": ";\n"}


def tf_halfwidth(t: Text, **_: Any) -> Text:
    """A site that turns punctuation half-width and breaks the line after each semicolon."""
    return edit(t, [(i, i + 1, _HALF[ch]) for i, ch in enumerate(t.s) if ch in _HALF])


def tf_spin(t: Text, lo: int, hi: int, rng: random.Random, **_: Any) -> Text:
    """A synonym spinner: after each swap it skips lo..hi characters, then swaps the next word of
    its table (``families.SPIN_TABLE``) that lies outside every slot; the title line is left alone."""
    table = dict(F.SPIN_TABLE)
    pat = re.compile("|".join(re.escape(w) for w in sorted(table, key=lambda w: (-len(w), w))))
    start = t.s.index("\n") + 1
    eds: list[Edit] = []
    nxt = start + rng.randint(0, lo)
    for m in pat.finditer(t.s, start):
        a, b = m.span()
        if a < nxt or any(a < e and s < b for s, e in t.spans.values()) or not (t.safe(a) and t.safe(b)):
            continue
        eds.append((a, b, table[m[0]]))
        nxt = b + rng.randint(lo, hi)
    return edit(t, eds)


def tf_pinyin_ascii(t: Text, lo: int, hi: int, rng: random.Random, **_: Any) -> Text:
    """A spam mirror's reading aid: every lo..hi characters the next character it knows gets its
    pinyin without tone marks in ASCII parentheses, 水(shui). Each mirror draws its own places."""
    eds: list[Edit] = []
    nxt = rng.randint(1, hi)
    for i, ch in enumerate(t.s):
        if i >= nxt and ch in S.PINYIN_ASCII and t.safe(i + 1):
            eds.append((i + 1, i + 1, f"({S.PINYIN_ASCII[ch]})"))
            nxt = i + rng.randint(lo, hi)
    return edit(t, eds)


def tf_excerpt(t: Text, para: int, skip: int, n: int, sep: str) -> Text:
    """An aggregator's preview: the title line, then n characters of the text from the ``skip``-th
    character of paragraph ``para`` (line breaks kept), ending mid-sentence."""
    lines = t.s.split(sep)
    a = sum(len(x) + len(sep) for x in lines[:para]) + skip
    b = a + n
    while not t.safe(a):
        a -= 1
    while not t.safe(b):
        b += 1
    title_end = len(lines[0])
    kept = Text(t.s, {k: v for k, v in t.spans.items() if (a <= v[0] and v[1] <= b) or v[1] <= title_end})
    return edit(kept, [(title_end + len(sep), a, ""), (b, len(t.s), "")])


TRANSFORMS: dict[str, Callable[..., Text]] = {
    "cut": lambda t, share, **kw: tf_cut(t, share),
    "s2t": tf_s2t,
    "pinyin": tf_pinyin,
    "noise": tf_noise,
    "caption": lambda t, line, text, **kw: tf_caption(t, line, text, **kw),
    "promo": lambda t, text, **kw: tf_promo(t, text),
    "inject": tf_inject,
    "lose": lambda t, char, share, **kw: tf_lose(t, char, share, **kw),
    "wrap": tf_wrap,
    "flatten": tf_flatten,
    "pagemarks": tf_pagemarks,
    "halfwidth": tf_halfwidth,
    "spin": lambda t, lo, hi, **kw: tf_spin(t, lo, hi, **kw),
    "pyascii": lambda t, lo, hi, **kw: tf_pinyin_ascii(t, lo, hi, **kw),
    "excerpt": lambda t, para, skip, n, sep, **kw: tf_excerpt(t, para, skip, n, sep),
}


def apply_transforms(t: Text, tfs: Iterable[tuple[Any, ...]], rng: random.Random, sep: str) -> Text:
    for name, *args in tfs:
        t = TRANSFORMS[name](t, *args, rng=rng, sep=sep)
    return t


# --------------------------------------------------------------------------- base texts

SLOT = re.compile(r"\{(\w+)\|([^{}]*)\}")
SLOTN = re.compile(r"\{(\w+)#([\w:]+)\|([^{}]*)\}")


def read_lines(path: Path) -> list[str]:
    return [ln.rstrip("\n") for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def read_news(name: str) -> tuple[list[str], dict[str, str]]:
    """A congress report with the wire formula filled in: [title, paragraphs...] and its @fields."""
    meta: dict[str, str] = {}
    body = []
    for ln in read_lines(SRC / "news" / f"{name}.txt"):
        if ln.startswith("@"):
            k, v = ln[1:].split(" ", 1)
            meta[k] = v
        else:
            body.append(ln)
    formula = {}
    for ln in read_lines(SRC / "news" / f"{meta.get('formula', 'formula')}.txt"):
        if not ln.startswith("#"):
            k, v = ln.split("\t")
            formula[k] = v
    a, b, c = meta["nums"].split()
    pieces = {k: v.format(a=a, b=b, c=c) for k, v in formula.items()}
    return [meta["title"]] + [re.sub(r"\{(\w+)\}", lambda m: pieces[m[1]], ln) for ln in body], meta


INCLUDE = re.compile(r"\{@([\w/.]+?)(?:#([12]))?\}")


def include(line: str) -> str:
    """``{@overlap/x.txt}`` inserts a shared passage (one line); ``#1``/``#2`` its part before/after
    the ``‖`` that marks where another document breaks the paragraph."""

    def one(m: re.Match[str]) -> str:
        (text,) = read_lines(SRC / m[1])
        return text.replace("‖", "") if not m[2] else text.split("‖")[int(m[2]) - 1]

    return INCLUDE.sub(one, line)


def read_base(rel: str, prefix: str) -> list[str]:
    """Base lines with every slot numbered ``{name#PREFIX:name:n|placeholder}`` (the n-th slot of
    that name), so that members with base texts of their own still match their template's slots."""
    lines = read_news(Path(rel).stem)[0] if rel.startswith("news/") else read_lines(SRC / rel)
    seen: dict[str, int] = defaultdict(int)

    def number(m: re.Match[str]) -> str:
        seen[m[1]] += 1
        return f"{{{m[1]}#{prefix}:{m[1]}:{seen[m[1]]}|{m[2]}}}"

    return [SLOT.sub(number, include(ln)) for ln in lines]


def apply_ops(lines: list[str], ops: Iterable[tuple[Any, ...]]) -> list[str]:
    cur: list[tuple[int | None, str]] = list(enumerate(lines))
    for op, *args in ops:
        if op == "sub":
            old, new = args
            assert any(old in s for _, s in cur), f"sub: {old!r} not found"
            cur = [(i, s.replace(old, new)) for i, s in cur]
        elif op == "drop":
            assert any(i == args[0] for i, _ in cur)
            cur = [(i, s) for i, s in cur if i != args[0]]
        elif op == "ins":
            j = next(n for n, (i, _) in enumerate(cur) if i == args[0])
            cur.insert(j + 1, (None, args[1]))
        elif op == "order":
            order = args[0]
            by = {i: s for i, s in cur if i is not None}
            assert sorted(order) == sorted(by), "order must list every kept line"
            cur = [(i, by[i]) for i in order]
        else:
            raise ValueError(op)
    return [s for _, s in cur]


@dataclass
class SlotInfo:
    name: str
    kind: str  # keep | fill | alt
    placeholder: str


def render(lines: list[str], value: Callable[[str, str], Any], sep: str) -> tuple[Text, dict[str, SlotInfo]]:
    pieces: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    info: dict[str, SlotInfo] = {}
    pos = 0
    for n, ln in enumerate(lines):
        if n:
            pieces.append(sep)
            pos += len(sep)
        last = 0
        for m in SLOTN.finditer(ln):
            lit = ln[last : m.start()]
            pieces.append(lit)
            pos += len(lit)
            name, occ, ph = m[1], m[2], m[3]
            v = value(occ.split(":")[0], name)
            if v is None:
                txt, kind = ph, "keep"
            elif isinstance(v, F.Alt):
                txt, kind = str(v), "alt"
            else:
                txt, kind = str(v), "fill"
            spans[occ] = (pos, pos + len(txt))
            info[occ] = SlotInfo(name, kind, ph)
            pieces.append(txt)
            pos += len(txt)
            last = m.end()
        pieces.append(ln[last:])
        pos += len(ln) - last
    return Text("".join(pieces), spans), info


# --------------------------------------------------------------------------- singletons from the banks


def read_bank(path: Path) -> dict[str, list[str]]:
    secs: dict[str, list[str]] = defaultdict(list)
    cur = ""
    for ln in read_lines(path):
        if ln.startswith("@meeting "):
            secs["meeting"] = ln.split(" ", 1)[1].split("|")
        elif ln.startswith("#"):
            cur = ln[1:]
        else:
            secs[cur].append(ln)
    return secs


PLACES = [a + b for a in "青枫榆禾梧泓沅雁琅苍澜鹿" for b in "川岭峪源桥原丘湾泽坪"]
ROLES = ["{L}委书记", "{L}长", "常务副{L}长", "副{L}长"]
SALUTES = ["同志们：", "同志们：", "同志们：", "各位领导、同志们：", "同志们、朋友们："]


@dataclass
class Doc:
    key: str  # internal key: G01.T, S.anquan.1, N.r1, C1, M1, A.qiushou_amb_a
    site: str
    text: Text  # before the site's chrome; first line is the title
    sep: str
    ctx: dict[str, Any]
    rng: random.Random
    title: str = ""  # as the page shows it
    part_of: str | None = None
    info: dict[str, SlotInfo] = field(default_factory=dict)


# Banks added after the first 18: their speeches get sites and places of their own, so that the
# first banks' speeches stay as they were.
LATER_BANKS = ("shuili", "yanglao", "qianxin")
LATER_SITES = ["moyan", "yunjian", "qianfan", "songtao", "plain", "weixin"] * 2 + ["shisui", "gov_lanxi", "gov_heming"]


BankSpec = tuple[str, int, int, dict[str, list[str]]]  # topic, speech number, speeches in the bank, the bank


def bank_specs(paths: Iterable[Path]) -> list[BankSpec]:
    specs = []
    for path in paths:
        b = read_bank(path)
        r = random.Random(f"bank:{path.stem}")
        for key in ("open", "close", "h1", "h2", "h3", "b1", "b2", "b3", "x"):
            r.shuffle(b[key])
        n = min(
            len(b["open"]),
            len(b["close"]),
            *(len(b[f"h{i}"]) for i in (1, 2, 3)),
            *(len(b[f"b{i}"]) // 3 for i in (1, 2, 3)),
        )
        for k in range(n):
            specs.append((path.stem, k, n, b))
    return specs


def bank_docs() -> list[Doc]:
    """Singleton speeches: each bank line is used once, so no two share a sentence."""
    paths = sorted((SRC / "topics").glob("*.txt"))
    specs = bank_specs(p for p in paths if p.stem not in LATER_BANKS)
    site_pool = (
        ["moyan"] * 12
        + ["yunjian"] * 10
        + ["shisui"] * 7
        + ["qianfan"] * 9
        + ["songtao"] * 8
        + ["plain"] * 8
        + ["weixin"] * 7
        + ["gov_lanxi", "gov_baichuan", "gov_heming", "gov_yuchuan", "gov_tingyuan"] * 4
    )
    assert len(site_pool) >= len(specs), (len(site_pool), len(specs))
    pr = random.Random("bank-sites")
    pr.shuffle(site_pool)
    places = list(PLACES)
    pr.shuffle(places)
    docs = bank_speeches(specs, site_pool, places)
    later = bank_specs(SRC / "topics" / f"{stem}.txt" for stem in LATER_BANKS)
    pool = list(LATER_SITES)
    assert len(pool) >= len(later), (len(pool), len(later))
    random.Random("bank-sites-later").shuffle(pool)
    return docs + bank_speeches(later, pool, places)


def bank_speeches(specs: list[BankSpec], site_pool: list[str], places: list[str]) -> list[Doc]:
    docs = []
    for (topic, k, n, b), site_key in zip(specs, site_pool, strict=False):
        rng = random.Random(f"speech:{topic}:{k}")
        site = S.SITES[site_key]
        if site_key.startswith("gov_"):
            place, level = site.extra["place"], site.extra["level"]
        else:
            place, level = places.pop(), rng.choice("县县县市市区")
        year = rng.randint(2019, 2024)
        meeting = b["meeting"][k % len(b["meeting"])]
        masked = rng.random() < site.placeholder_share
        pattern = rng.choice([0, 0, 1, 2, 3]) if not masked else rng.choice([0, 3])
        p_txt = rng.choice(["xx", "××", "XX"]) if masked else place
        y_txt = rng.choice(["20xx", "20××"]) if masked else str(year)
        if pattern == 0:
            title = f"在{p_txt}{level}{y_txt}年{meeting}上的讲话"
        elif pattern == 1:
            title = f"在全{{L}}{meeting}上的讲话"
        elif pattern == 2:
            title = f"{rng.choice(ROLES)}在全{{L}}{meeting}上的讲话"
        else:
            title = f"在{y_txt}年全{{L}}{meeting}上的讲话"
        style = rng.choice(["heading", "heading", "paren", "inline"])
        paras = [b[f"b{j}"][3 * k : 3 * k + 3] for j in (1, 2, 3)]
        # a fourth sentence: the bank's leftover lines (in their own section), then its extra pool
        extras = [(j - 1, ln) for j in (1, 2, 3) for ln in b[f"b{j}"][3 * n :]] + [(1, ln) for ln in b["x"]]
        if k < len(extras):
            paras[extras[k][0]].append(extras[k][1])
        extra = rng.sample(stock.STOCK_SENTENCES, rng.choice([0, 1, 1, 2]))
        if (
            sum(map(len, [b["open"][k], b["close"][k], *(x for p in paras for x in p)])) < 560
        ):  # a short one gets one more
            extra += [x for x in stock.STOCK_SENTENCES if x not in extra][:1]
        for sent in extra:
            paras[rng.randrange(3)].append(sent)
        lines = [title, rng.choice(SALUTES), b["open"][k]]
        for j in range(3):
            head = b[f"h{j + 1}"][k]
            body = "".join(paras[j])
            if style == "heading":
                lines += [f"{CN[j + 1]}、{head}", body]
            elif style == "paren":
                lines += [f"（{CN[j + 1]}）{head}", body]
            else:
                lines.append(f"第{CN[j + 1]}，{head}。{body}")
        lines.append(b["close"][k])
        sep = site.para_sep
        text = sep.join(lines).replace("{L}", level)
        date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        docs.append(
            Doc(f"S.{topic}.{k + 1}", site_key, Text(text), sep, {"date": min(date, dt.date(2024, 12, 20))}, rng)
        )
    return docs


# --------------------------------------------------------------------------- the corpus


def member_doc(fam: F.Fam, m: F.M) -> Doc:
    site = S.SITES[m.site]
    sep = "\n" if m.part else site.para_sep
    lines = apply_ops(read_base(m.base or fam.base, fam.key), m.ops)
    text, info = render(lines, lambda f, name: m.fills.get(name), sep)
    rng = random.Random(f"member:{fam.key}.{m.key}")
    text = apply_transforms(text, m.tf, rng, sep)
    doc = Doc(f"{fam.key}.{m.key}", m.site, text, sep, dict(m.ctx), rng, info=info)
    if m.part:
        doc.part_of = f"{m.part[0]}#{m.part[1]}"
    return doc


def mosaic_doc() -> Doc:
    spec = F.MOSAIC
    fams = {f.key: f for f in F.FAMILIES}
    bases = {k: read_base(fams[k].base, k) for k in spec["families"]}
    lines = [bases[x[0]][x[1]] if isinstance(x, tuple) else x for x in spec["lines"]]
    site = S.SITES[spec["site"]]
    text, info = render(lines, lambda f, name: spec["fills"][f].get(name), site.para_sep)
    return Doc(spec["key"], spec["site"], text, site.para_sep, {}, random.Random("mosaic"), info=info)


def plain_doc(key: str, lines: list[str], site_key: str, ctx: dict[str, Any], sep: str | None = None) -> Doc:
    site = S.SITES[site_key]
    sep = sep or site.para_sep
    return Doc(key, site_key, Text(sep.join(lines)), sep, ctx, random.Random(f"doc:{key}"))


def news_date(meta: dict[str, str]) -> dt.date:
    y, m, d = map(int, re.findall(r"\d+", meta["date"]))
    return dt.date(y, m, d)


def site_transforms(doc: Doc) -> None:
    """The site's own transforms, and the title as the page shows it."""
    site = S.SITES[doc.site]
    t = doc.text
    for name in site.transforms:
        if name in ("flatten", "pagemarks") and not doc.title:
            doc.title = t.s.split(doc.sep, 1)[0]
        t = apply_transforms(t, [(name,)], doc.rng, doc.sep)
    doc.text = t
    if not doc.title:
        doc.title = t.s.split(doc.sep, 1)[0]


def chrome_ctx(doc: Doc, related: list[str]) -> dict[str, Any]:
    site = S.SITES[doc.site]
    rng = doc.rng
    c = dict(doc.ctx)
    if isinstance(c.get("date"), str):
        c["date"] = dt.date.fromisoformat(c["date"])
    if "date" not in c:
        # a page is published after the latest year its text mentions (the speech's own year)
        lo, hi = site.years
        years = [int(y) for y in re.findall(r"(?<!\d)(20[0-2]\d)(?=年|\D)", doc.text.s) if int(y) <= 2024]
        lo = max([lo, *years])
        hi = max(hi, lo)
        c["date"] = dt.date(lo, 1, 1) + dt.timedelta(days=rng.randrange((dt.date(hi, 12, 20) - dt.date(lo, 1, 1)).days))
    c.setdefault("time", f"{rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}")
    c.setdefault("cat", rng.choice(S.CATS))
    c["cat_t"] = s2t(c["cat"])
    c.setdefault("deco", rng.choice(["", "", "", "(完整文档)", "(通用)", "范文"]) if site.placeholder_share else "")
    c.setdefault("editor", rng.choice(S.EDITORS))
    c.setdefault("checker", rng.choice(S.EDITORS))
    c["editor_t"] = s2t(c["editor"])
    c.setdefault("account", rng.choice(S.ACCOUNTS))
    c["pages"] = max(3, len(doc.text.s) // 380)
    c["title"] = doc.title
    c["related"] = related
    c["rng"] = rng
    c.update(site.extra)
    return c


def wrap_page(doc: Doc, c: dict[str, Any]) -> Text:
    site = S.SITES[doc.site]
    header, footer = site.header(c), site.footer(c)
    t = doc.text
    if S.T in header:
        pre, post = header.split(S.T)
        end = t.s.index(doc.sep)
        return edit(t, [(0, 0, pre), (end, end + len(doc.sep), post), (len(t.s), len(t.s), footer)])
    return edit(t, [(0, 0, header), (len(t.s), len(t.s), footer)])


def page_title(doc: Doc, c: dict[str, Any]) -> str:
    if doc.site == "shisui":
        return f"{doc.title}.docx"
    return doc.title + c.get("deco", "")


def compilation_page(spec: dict[str, Any], parts: list[Doc], related: list[str]) -> tuple[Text, dict[int, Text]]:
    """A page holding several speeches under headings; returns the page and each part's text."""
    site = S.SITES[spec["site"]]
    holder = Doc(
        spec["key"],
        spec["site"],
        Text("\n".join(p.text.s for p in parts)),
        "\n",
        {"deco": ""},
        random.Random(f"page:{spec['key']}"),
    )
    holder.title = spec["title"]
    c = chrome_ctx(holder, related)
    header = site.header(c).replace(S.T, spec["title"])
    t = Text(header + (spec["intro"] + "\n" if spec["intro"] else ""))
    part_texts: dict[int, Text] = {}
    for n, part in enumerate(parts, 1):
        t = Text(t.s + spec["heading"].format(title=spec["title"], n=CN[n]) + "\n", t.spans)
        part_texts[n] = part.text
        off = len(t.s)
        spans = {**t.spans, **{f"{n}/{k}": (a + off, b + off) for k, (a, b) in part.text.spans.items()}}
        t = Text(t.s + part.text.s + "\n", spans)
    t = Text(t.s + site.footer(c).lstrip("\n"), t.spans)
    return t, part_texts


def build() -> tuple[list[dict[str, str]], dict[str, Any], dict[str, str], dict[str, str]]:
    """The corpus records, the labels, each labelled document's text without page chrome, and the
    source key of each id (``G01.T``: family G01's member T; ``S.anquan.2``: a bank speech; ``N.r1``:
    a congress report; ``H.name``/``A.name``: hand-written; ``C1``/``M1``: compilation page/mosaic)."""
    fams = {f.key: f for f in F.FAMILIES}
    docs: dict[str, Doc] = {}
    for fam in F.FAMILIES:
        for m in fam.members:
            d = member_doc(fam, m)
            docs[d.key] = d
    docs["M1"] = mosaic_doc()
    for d in bank_docs():
        docs[d.key] = d
    for spec in F.NEWS_SINGLETONS:
        lines, meta = read_news(spec["key"])
        ctx = {k: v for k, v in spec.items() if k not in ("key", "site")}
        ctx["date"] = news_date(meta)
        docs[f"N.{spec['key']}"] = plain_doc(f"N.{spec['key']}", lines, spec["site"], ctx)
    for name in ("kaixue1", "kaixue2", "dangke"):
        docs[f"H.{name}"] = plain_doc(f"H.{name}", read_lines(SRC / "single" / f"{name}.txt"), "plain", {}, sep="\n")
    for spec in F.HAND_SINGLETONS:
        key = f"H.{spec['key']}"
        lines = [include(ln) for ln in read_lines(SRC / "single" / f"{spec['key']}.txt")]
        d = plain_doc(key, lines, spec["site"], dict(spec.get("ctx", {})))
        d.text = apply_transforms(d.text, spec.get("tf", []), d.rng, d.sep)
        docs[key] = d
    for amb in F.AMBIGUOUS:
        for n, rel in enumerate(amb["keys"]):
            key = f"A.{Path(rel).stem}"
            site = amb["sites"][n] if "sites" in amb else amb["site"]
            date = dt.date.fromisoformat(amb["dates"][n]) if "dates" in amb else dt.date(2022 + n, 9, 6 + n)
            docs[key] = plain_doc(key, [include(ln) for ln in read_lines(SRC / rel)], site, {"date": date})
    # G06 shares its base with the news: its dates come from the report.
    for d in docs.values():
        if d.key.startswith("G06."):
            d.ctx.setdefault("date", "2024-03-05")
    # compilation parts: hand-written singletons join their page
    for spec in F.COMPILATIONS:
        for n, p in enumerate(spec["parts"], 1):
            key = p.replace("S:", "H.")
            docs[key].part_of = f"{spec['key']}#{n}"
            docs[key].sep = "\n"
    raw = {k: d.text.s for k, d in docs.items()}  # the speech as written, before the site's debris
    for d in docs.values():
        site_transforms(d)

    # ids: every page (standalone document or compilation page) gets an opaque id
    pages = sorted([k for k, d in docs.items() if d.part_of is None] + [c["key"] for c in F.COMPILATIONS])
    random.Random(ID_SEED).shuffle(pages)
    ids = {k: f"rp{n:03d}" for n, k in enumerate(pages, 1)}
    for k, d in docs.items():
        if d.part_of:
            page, n = d.part_of.split("#")
            ids[k] = f"{ids[page]}#{n}"

    # related titles (上一篇/相关推荐): the next pages of the same site, by id
    by_site: dict[str, list[str]] = defaultdict(list)
    for k in sorted((k for k, d in docs.items() if d.part_of is None), key=lambda k: ids[k]):
        by_site[docs[k].site].append(k)

    def related(key: str, site: str) -> list[str]:
        keys = by_site[site]
        if key not in keys:
            return [docs[k].title for k in keys[:3]]
        i = keys.index(key)
        return [docs[keys[(i + j) % len(keys)]].title for j in (1, 2, 3) if len(keys) > 1]

    records: dict[str, dict[str, str]] = {}
    final: dict[str, Text] = {}  # label id -> the text the slots are read from
    for k, d in docs.items():
        if d.part_of:
            continue
        c = chrome_ctx(d, related(k, d.site))
        site = S.SITES[d.site]
        if site.html:  # a crawled page: the record holds the page's HTML, no text and no title
            lines = d.text.s.split(d.sep)
            final[ids[k]] = d.text
            records[ids[k]] = {"id": ids[k], "html": site.html(c, lines[0], lines[1:]), "site": site.name}
            continue
        page = wrap_page(d, c)
        final[ids[k]] = page
        records[ids[k]] = {
            "id": ids[k],
            "text": page.s,
            "site": S.SITES[d.site].name if d.site != "weixin" else c["account"],
            "title": page_title(d, c),
        }
    for spec in F.COMPILATIONS:
        parts = [docs[p.replace("S:", "H.")] for p in spec["parts"]]
        page, part_texts = compilation_page(spec, parts, related(spec["key"], spec["site"]))
        pid = ids[spec["key"]]
        records[pid] = {"id": pid, "text": page.s, "site": S.SITES[spec["site"]].name, "title": spec["title"]}
        for n, pt in part_texts.items():
            final[f"{pid}#{n}"] = pt
            assert pt.s in page.s

    labels = make_labels(fams, docs, ids, final)
    bodies = {ids[k]: raw[k] for k in docs}
    keys = {v: k for k, v in ids.items()}
    return [records[i] for i in sorted(records)], labels, bodies, keys


def make_labels(
    fams: dict[str, F.Fam], docs: dict[str, Doc], ids: dict[str, str], final: dict[str, Text]
) -> dict[str, Any]:
    families: dict[str, list[str]] = {}
    meta: dict[str, dict[str, str]] = {}
    slots: list[dict[str, str]] = []
    mosaic = F.MOSAIC
    for fam in F.FAMILIES:
        members = [ids[f"{fam.key}.{m.key}"] for m in fam.members]
        note = fam.note.format(M1=ids[mosaic["key"]], **{c["key"]: ids[c["key"]] for c in F.COMPILATIONS})
        if fam.key in mosaic["families"]:
            members.append(ids[mosaic["key"]])
        families[fam.key] = sorted(members)
        meta[fam.key] = {"kind": fam.kind, "note": note}
        tmpl = [m for m in fam.members if m.template]
        if not tmpl:
            continue
        tkey = f"{fam.key}.{tmpl[0].key}"
        tid = ids[tkey]
        ttext = final[tid]
        copies = [f"{fam.key}.{m.key}" for m in fam.members if not m.template]
        if fam.key in mosaic["families"]:
            copies.append("M1")
        for ck in copies:
            cid = ids[ck]
            ctext = final[cid]
            for occ, inf in docs[ck].info.items():
                if inf.kind != "fill" or not occ.startswith(fam.key + ":") or occ not in ctext.spans:
                    continue
                a, b = ttext.spans[occ]
                placeholder = ttext.s[a:b]
                assert placeholder == inf.placeholder, (tid, occ, placeholder, inf.placeholder)
                a2, b2 = ctext.spans[occ]
                slots.append(
                    {
                        "type": "fill",
                        "placeholder": placeholder.strip(),
                        "filler": ctext.s[a2:b2],
                        "placeholder_in": tid,
                        "filler_in": cid,
                    }
                )
    in_family = {i for ms in families.values() for i in ms}
    ambiguous = [
        {"ids": sorted(ids[f"A.{Path(r).stem}"] for r in amb["keys"]), "why": amb["why"]} for amb in F.AMBIGUOUS
    ]
    amb_ids = {i for a in ambiguous for i in a["ids"]}
    singletons = sorted(
        i for i in ids.values() if i not in in_family and i not in amb_ids and not _is_page_with_parts(i, ids)
    )
    return {
        "families": families,
        "singletons": singletons,
        "ambiguous": ambiguous,
        "slots": slots,
        "family_meta": meta,
    }


def _is_page_with_parts(i: str, ids: dict[str, str]) -> bool:
    return any(v.startswith(i + "#") for v in ids.values())


def dump(records: list[dict[str, str]], labels: dict[str, Any]) -> tuple[str, str]:
    corpus = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    lab = json.dumps(labels, ensure_ascii=False, indent=1) + "\n"
    return corpus, lab


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--check", action="store_true", help="fail if corpus.jsonl or labels.json differ from a fresh build"
    )
    ap.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: next to this script)")
    ap.add_argument("--map", action="store_true", help="print each id and the source it was built from, write nothing")
    args = ap.parse_args()
    records, labels, _, keys = build()
    if args.map:
        site = {r["id"]: r["site"] for r in records}
        for i in sorted(keys):
            print(f"{i}\t{keys[i]}\t{site.get(i.split('#')[0], '')}")
        return 0
    corpus, lab = dump(records, labels)
    targets = {args.out / "corpus.jsonl": corpus, args.out / "labels.json": lab}
    if args.check:
        bad = [str(p) for p, s in targets.items() if not p.exists() or p.read_text(encoding="utf-8") != s]
        if bad:
            print("out of date: " + ", ".join(bad), file=sys.stderr)
            return 1
        return 0
    for p, s in targets.items():
        p.write_text(s, encoding="utf-8")
    sizes = sorted((len(v) for v in labels["families"].values()), reverse=True)
    print(
        f"{len(records)} pages, {len(labels['singletons'])} singletons, {len(labels['families'])} families "
        f"(sizes {sizes}), {len(labels['ambiguous'])} ambiguous groups, {len(labels['slots'])} slot fills"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
