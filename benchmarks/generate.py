"""Deterministic speech-like corpora for the benchmark, with their ground truth.

    python benchmarks/generate.py --docs 10000 --out benchmarks/data/10k
    python benchmarks/generate.py --docs 10000 --shape heavy --out benchmarks/data/10k-heavy
    python benchmarks/generate.py --docs 10000 --copies 5000 --out benchmarks/data/copies-5k-in-10k

writes ``corpus.jsonl`` (``{"id", "text"}`` per line) and ``truth.json``
(``{"families": {"G1": [ids...], ...}, "singletons": [ids...]}``, in the labels
format of docs/LABELS.md) into ``--out``; ``--stats`` prints the family sizes
and how many documents carry each stock formula.

Text is built from the sentences of the bundled fixture speeches, recombined
and mutated (a share of the Han characters replaced by others drawn from the
same texts) so that unrelated documents share no more than the genre's stock
phrases. About a third of the documents belong to template families: a
template with placeholders, filled copies, reordered, cut and edited copies,
Traditional-script copies, copies inside page chrome, and mosaics that take
half of their text from each of two families.

Shapes (the same seed always gives the same bytes):

- ``uniform`` (the default): families of 2 to 9 documents; every document
  carries two of the five ``STOCK`` phrases.
- ``heavy``: family sizes follow a truncated Zipf law, P(size = k) ∝ k^-2 for
  2 <= k <= n_docs / ``TAIL`` (many pairs and triples, the largest about 100
  at 10k documents and about 1,000 at 100k); a share ``CHAIN`` of the copies
  copy an earlier copy (a few more characters changed on top of it) instead
  of the template; templates and unrelated documents draw stock formulas
  (``FORMULAS``, 8-20 characters) from one pool, each formula in 1-10 % of
  the documents and one in 20 %, without making them a family.
- ``copies(n, n_docs)`` (``--copies N``): one template with placeholders and N
  filled copies of it, each with about 8 Han characters changed, some
  reordered, cut, Traditional or in page chrome; the other documents unrelated
  and carrying stock formulas. The truth is one family of N + 1 documents.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import opencc

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "speeches"
PARAGRAPHS = 30
MUTATION = 0.45  # share of Han characters replaced in every generated paragraph
STOCK = [
    "坚持人民至上、生命至上",
    "以习近平新时代中国特色社会主义思想为指导",
    "提高政治站位,强化责任担当",
    "守土有责、守土担责、守土尽责",
    "一分部署,九分落实",
]
# The heavy shape's pool of stock formulas and the share of documents each one is written into
# (templates and unrelated documents; copies keep their template's). Genre clichés, not a family.
FORMULAS: list[tuple[str, float]] = [
    ("下面,我讲几点意见", 0.20),
    ("坚持以人民为中心的发展思想", 0.10),
    ("把思想和行动统一到决策部署上来", 0.09),
    ("以钉钉子精神抓好工作落实", 0.08),
    ("切实增强责任感和紧迫感", 0.07),
    ("锚定目标不放松,一张蓝图绘到底", 0.065),
    ("更好统筹发展和安全", 0.06),
    ("以高质量党建引领高质量发展", 0.055),
    ("着力解决群众急难愁盼问题", 0.05),
    ("真抓实干、埋头苦干、担当作为", 0.045),
    ("完整、准确、全面贯彻新发展理念", 0.04),
    ("抓铁有痕、踏石留印", 0.035),
    ("全面从严治党永远在路上", 0.032),
    ("坚持稳中求进工作总基调", 0.03),
    ("不断增强人民群众获得感、幸福感、安全感", 0.027),
    ("把各项任务落到实处、抓出成效", 0.025),
    ("确保各项决策部署落地见效", 0.022),
    ("始终保持只争朝夕、奋发有为的精神状态", 0.02),
    ("各级领导干部要带头示范、以上率下", 0.018),
    ("坚决守住安全生产底线", 0.016),
    ("以更加饱满的热情投入到工作中去", 0.015),
    ("奋力谱写高质量发展新篇章", 0.013),
    ("凝聚起干事创业的强大合力", 0.012),
    ("对标先进、补齐短板、争创一流", 0.011),
    ("功成不必在我,功成必定有我", 0.010),
]
FORMULA_DF = np.array([df for _, df in FORMULAS])
TAIL = 100  # heavy shape: family sizes up to n_docs / TAIL (100 at 10k documents, 1,000 at 100k)
CHAIN = 0.25  # heavy shape: share of copies (after a family's first) that copy an earlier copy
KINDS = ["filled", "filled", "reordered", "cut", "edited", "traditional", "chrome"]
COPY_KINDS = ["filled"] * 6 + ["reordered", "cut", "traditional", "chrome"]  # copies(): no edited kind
PLACES = ["绥化市", "九江市", "漳州市", "德阳市", "宜宾市", "衢州市", "泸溪县", "宁远县", "安平县", "临江区"]
NAMES = ["周立群", "陈卫东", "林志强", "王德明", "孙卫国", "王海平", "彭建军", "赵明远", "李建华", "何健"]
PLACEHOLDERS = ["xx", "×××", "XX", "20xx年", "x月x日", "***", "__"]
CHROME_TOP = "当前位置:首页 > 范文大全 > 讲话稿\n发布时间:2024-03-08 09:41\n下面是小编为大家整理的讲话稿,供大家参考。\n"
CHROME_BOTTOM = (
    "\n推荐访问:讲话稿 会议讲话\n版权所有:范文示例网 2002-2024 未经授权禁止复制\n"
    "Powered by 范文示例网 备案号:示ICP备00000000号\n"
)


class JsonlDocs:
    """Documents written to ``corpus.jsonl`` as they are made, in order: a million never sit in memory.

    Written under ``corpus.jsonl.part`` and renamed by :meth:`close`, so a run stopped half-way leaves
    no corpus a later run would reuse. Iterating reads the file back.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._part = path.with_name(path.name + ".part")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self._part.open("w", encoding="utf-8")
        self._count = 0

    def append(self, doc: tuple[str, str]) -> None:
        self._handle.write(json.dumps({"id": doc[0], "text": doc[1]}, ensure_ascii=False) + "\n")
        self._count += 1

    def extend(self, docs: Iterable[tuple[str, str]]) -> None:
        for doc in docs:
            self.append(doc)

    def __len__(self) -> int:
        return self._count

    def close(self) -> None:
        self._handle.close()
        os.replace(self._part, self.path)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        with self.path.open(encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                yield record["id"], record["text"]


Docs = list[tuple[str, str]] | JsonlDocs


@dataclass
class Corpus:
    docs: Docs
    families: list[list[str]]
    singletons: list[str]


class Writer:
    """Mutated paragraphs from the fixture sentences, reproducible from one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        texts = [
            _read(p)
            for p in sorted(FIXTURES.glob("*.txt"))
            if not any(k in p.name for k in ("chrome", "traditional", "big5"))
        ]
        sentences = {s.strip() for t in texts for s in re.split(r"(?<=[。！？；])", t)}
        self.sentences = sorted(s for s in sentences if len(s) >= 12 and re.search(r"[\u4e00-\u9fff]{5}", s))
        han = [c for t in texts for c in t if "\u4e00" <= c <= "\u9fff"]
        self.pool = np.array([ord(c) for c in han], dtype=np.uint32)

    def paragraph(self) -> str:
        return "".join(self.rng.sample(self.sentences, self.rng.randint(1, 3)))

    def body(self, paragraphs: int = PARAGRAPHS) -> list[str]:
        """New paragraphs: fixture sentences recombined, then mutated into new text."""
        text = "\n".join(self.paragraph() for _ in range(paragraphs))
        return self.mutate(text, MUTATION).split("\n")

    def speech(self, paragraphs: int = PARAGRAPHS) -> list[str]:
        """A new speech (uniform shape): a new body with two of the five STOCK phrases."""
        mutated = self.body(paragraphs)
        for stock in self.rng.sample(STOCK, 2):  # the genre's stock phrases, everywhere
            i = self.rng.randrange(len(mutated))
            mutated[i] = stock + "," + mutated[i]
        return mutated

    def with_formulas(self, paragraphs: list[str]) -> list[str]:
        """Each formula of FORMULAS with its probability, one a paragraph, before the paragraph's text."""
        chosen = np.flatnonzero(self.np_rng.random(len(FORMULAS)) < FORMULA_DF)
        places = self.rng.sample(range(len(paragraphs)), min(len(chosen), len(paragraphs)))
        out = list(paragraphs)
        for f, i in zip(chosen, places, strict=False):
            out[i] = FORMULAS[f][0] + "," + out[i]
        return out

    def edit(self, text: str, count: int) -> str:
        """``count`` Han characters of ``text`` (at random places) replaced by others."""
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
        han = np.flatnonzero((codes >= 0x4E00) & (codes <= 0x9FFF))
        at = self.np_rng.choice(han, min(count, len(han)), replace=False)
        codes[at] = self.np_rng.choice(self.pool, len(at))
        return codes.tobytes().decode("utf-32-le")

    def mutate(self, text: str, share: float) -> str:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
        han = (codes >= 0x4E00) & (codes <= 0x9FFF)
        hit = han & (self.np_rng.random(len(codes)) < share)
        codes[hit] = self.np_rng.choice(self.pool, int(hit.sum()))
        return codes.tobytes().decode("utf-32-le")

    def with_placeholders(self, paragraphs: list[str], count: int = 8) -> list[str]:
        out = list(paragraphs)
        for _ in range(count):
            i = self.rng.randrange(len(out))
            pos = self.rng.randrange(5, max(6, len(out[i]) - 5))
            out[i] = out[i][:pos] + self.rng.choice(PLACEHOLDERS) + out[i][pos + 2 :]
        return out

    def fill(self, paragraphs: list[str]) -> list[str]:
        def value(m: re.Match[str]) -> str:
            ph = m.group()
            if "年" in ph:
                return f"{self.rng.randint(2015, 2024)}年"
            if "月" in ph:
                return f"{self.rng.randint(1, 12)}月{self.rng.randint(1, 28)}日"
            if ph in ("***", "__"):
                return str(self.rng.randint(10, 99999))
            return self.rng.choice(PLACES if ph != "×××" else NAMES)

        pattern = re.compile("|".join(re.escape(p) for p in sorted(PLACEHOLDERS, key=len, reverse=True)))
        return [pattern.sub(value, p) for p in paragraphs]


def _read(path: Path) -> str:
    data = path.read_bytes()
    for codec in ("utf-8", "big5", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return ""


def _copy(
    w: Writer, template: list[str], kind: str, s2t: opencc.OpenCC, insert: Callable[[], str] | None = None
) -> str:
    """A copy of ``template`` of one kind; ``insert`` makes the new paragraph of an edited copy."""
    filled = w.fill(template)
    if kind == "reordered":
        blocks = [filled[i : i + 5] for i in range(0, len(filled), 5)]
        w.rng.shuffle(blocks)
        filled = [p for b in blocks for p in b]
    elif kind == "cut":
        filled = filled[: int(len(filled) * 0.6)]
    elif kind == "edited":
        filled = [w.mutate(p, 0.03) for p in filled]
        del filled[w.rng.randrange(len(filled))]
        filled.insert(w.rng.randrange(len(filled)), insert() if insert else w.speech(1)[0])
    text = "\n".join(filled)
    if kind == "traditional":
        text = s2t.convert(text)
    if kind == "chrome":
        text = CHROME_TOP + text + CHROME_BOTTOM
    return text


def generate(n_docs: int, seed: int = 7, shape: str = "uniform", docs: Docs | None = None) -> Corpus:
    """A corpus of ``n_docs`` documents; about a third in template families.

    ``shape`` is ``"uniform"`` (families of 2 to 9) or ``"heavy"`` (Zipf-like family sizes,
    copies of copies, stock formulas shared across the corpus); see the module docstring.
    ``docs``: where the documents go (a list by default; :class:`JsonlDocs` streams them to disk).
    """
    docs = [] if docs is None else docs
    if shape == "heavy":
        return _heavy(n_docs, seed, docs)
    if shape != "uniform":
        raise ValueError(f"unknown shape {shape!r} (uniform or heavy)")
    w = Writer(seed)
    s2t = opencc.OpenCC("s2t")
    kinds = KINDS
    families: list[list[str]] = []
    templates: list[list[str]] = []
    in_families = n_docs // 3
    while sum(len(f) for f in families) < in_families:
        template = w.with_placeholders(w.speech())
        fid = len(families)
        members = [f"f{fid:05d}-template"]
        docs.append((members[0], "\n".join(template)))
        for j in range(w.rng.randint(1, 7)):
            kind = w.rng.choice(kinds)
            members.append(f"f{fid:05d}-{j}-{kind}")
            docs.append((members[-1], _copy(w, template, kind, s2t)))
        families.append(members)
        templates.append(template)
    for k in range(len(families) // 10):  # mosaics: half of each of two families
        a, b = 2 * k, 2 * k + 1
        if b >= len(templates):
            break
        _mosaic(w, k, a, b, docs, families, templates)
    singletons = [f"s{i:06d}" for i in range(max(0, n_docs - len(docs)))]
    docs.extend((sid, "\n".join(w.speech())) for sid in singletons)
    return Corpus(docs=docs, families=families, singletons=singletons)


def _mosaic(
    w: Writer,
    k: int,
    a: int,
    b: int,
    docs: Docs,
    families: list[list[str]],
    templates: list[list[str]],
) -> None:
    """Mosaic ``k``: the first half of template ``a`` and the second of ``b``, filled; in both families."""
    text = "\n".join(w.fill(templates[a][:15]) + w.fill(templates[b][15:]))
    mid = f"m{k:05d}-f{a:05d}-f{b:05d}"
    docs.append((mid, text))
    families[a].append(mid)
    families[b].append(mid)


def family_sizes(n_docs: int, seed: int) -> list[int]:
    """The heavy shape's family sizes (template included), P(k) ∝ k^-2 for 2 <= k <= n_docs / TAIL.

    Drawn from their own stream of ``seed`` until a third of ``n_docs`` is in families; the last
    one is cut to what is left of that third.
    """
    rng = np.random.default_rng([seed, 2])
    ks = np.arange(2, max(10, n_docs // TAIL) + 1)
    p = ks.astype(np.float64) ** -2.0
    p /= p.sum()
    target, total, sizes = n_docs // 3, 0, []
    while total < target:
        sizes.append(min(int(rng.choice(ks, p=p)), max(2, target - total)))
        total += sizes[-1]
    return sizes


def _heavy(n_docs: int, seed: int, docs: Docs) -> Corpus:
    w = Writer(seed)
    s2t = opencc.OpenCC("s2t")

    def insert() -> str:  # the new paragraph of an edited copy, without stock phrases
        return w.body(1)[0]

    families: list[list[str]] = []
    templates: list[list[str]] = []
    for fid, size in enumerate(family_sizes(n_docs, seed)):
        template = w.with_placeholders(w.with_formulas(w.body()))
        members, texts = [f"f{fid:05d}-template"], ["\n".join(template)]
        for j in range(size - 1):
            if j and w.rng.random() < CHAIN:  # a copy of an earlier copy, a few characters more changed
                parent = w.rng.randrange(j)
                members.append(f"f{fid:05d}-{j}-chain{parent}")
                texts.append(w.edit(texts[parent + 1], w.rng.randint(3, 12)))
            else:
                kind = w.rng.choice(KINDS)
                members.append(f"f{fid:05d}-{j}-{kind}")
                texts.append(_copy(w, template, kind, s2t, insert))
        docs.extend(zip(members, texts, strict=True))
        families.append(members)
        templates.append(template)
    for k in range(len(families) // 10):  # mosaics: half of each of two families
        a, b = sorted(w.rng.sample(range(len(families)), 2))
        _mosaic(w, k, a, b, docs, families, templates)
    singletons = [f"s{i:06d}" for i in range(max(0, n_docs - len(docs)))]
    docs.extend((sid, "\n".join(w.with_formulas(w.body()))) for sid in singletons)
    return Corpus(docs=docs, families=families, singletons=singletons)


def copies(n_copies: int, n_docs: int, seed: int = 7, docs: Docs | None = None) -> Corpus:
    """One template with placeholders and ``n_copies`` copies of it among ``n_docs`` documents.

    Each copy fills the placeholders and has about 8 Han characters changed; a share is reordered,
    cut, Traditional or in page chrome. The other documents are unrelated and carry stock formulas.
    """
    if n_docs < n_copies + 1:
        raise ValueError(f"{n_copies} copies and their template need at least {n_copies + 1} documents")
    w = Writer(seed)
    s2t = opencc.OpenCC("s2t")
    template = w.with_placeholders(w.with_formulas(w.body()), count=12)
    docs = [] if docs is None else docs
    members = ["f00000-template"]
    docs.append((members[0], "\n".join(template)))
    for j in range(n_copies):
        kind = w.rng.choice(COPY_KINDS)
        members.append(f"f00000-{j}-{kind}")
        docs.append((members[-1], w.edit(_copy(w, template, kind, s2t), w.rng.randint(6, 10))))
    families = [members]
    singletons = [f"s{i:06d}" for i in range(n_docs - len(docs))]
    docs.extend((sid, "\n".join(w.with_formulas(w.body()))) for sid in singletons)
    return Corpus(docs=docs, families=families, singletons=singletons)


def stats(corpus: Corpus) -> str:
    """Family sizes, copies by kind and the share of documents that carry each stock phrase."""
    n = len(corpus.docs)
    sizes = sorted((len(f) for f in corpus.families), reverse=True)
    in_families = len({d for f in corpus.families for d in f})
    lines = [
        f"{n} documents: {len(sizes)} families holding {in_families} ({in_families / max(n, 1):.1%}), "
        f"{len(corpus.singletons)} singletons"
    ]
    bins = [(2, 2), (3, 3), (4, 5), (6, 10), (11, 20), (21, 50), (51, 100), (101, 200), (201, 500), (501, 1000)]
    bins.append((1001, max(sizes, default=0)))
    cells = [
        f"{lo if lo == hi else f'{lo}-{hi}'}: {sum(lo <= s <= hi for s in sizes)}"
        for lo, hi in bins
        if lo <= max(sizes, default=0)
    ]
    lines.append("family sizes (mosaics included): " + ", ".join(cells))
    lines.append(f"largest families: {sizes[:10]}")
    kinds = Counter(
        re.sub(r"\d+$", "", m.split("-")[2]) for f in corpus.families for m in f if m[0] == "f" and m.count("-") == 2
    )
    lines.append("copies by kind: " + ", ".join(f"{k} {c}" for k, c in sorted(kinds.items())))
    s2t = opencc.OpenCC("s2t")
    phrases = [(p, None) for p in STOCK] + FORMULAS
    lines.append("documents carrying each stock phrase (target in brackets; Traditional spelling counted):")
    for phrase, target in phrases:
        spellings = {phrase, s2t.convert(phrase)}
        count = sum(any(sp in text for sp in spellings) for _, text in corpus.docs)
        if count or target:
            want = f" [{target:.1%}]" if target else ""
            lines.append(f"  {count / max(n, 1):6.2%}{want:>9}  {phrase}")
    return "\n".join(lines)


def write(corpus: Corpus, out: Path) -> None:
    """``corpus.jsonl`` (unless the documents were streamed there: :class:`JsonlDocs`) and ``truth.json``."""
    out.mkdir(parents=True, exist_ok=True)
    if isinstance(corpus.docs, JsonlDocs):
        corpus.docs.close()
    else:
        with (out / "corpus.jsonl").open("w", encoding="utf-8") as f:
            for doc_id, text in corpus.docs:
                f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    truth = {"families": {f"G{i + 1}": m for i, m in enumerate(corpus.families)}, "singletons": corpus.singletons}
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents in the corpus (default 1000)")
    parser.add_argument("--seed", type=int, default=7, help="the same seed gives the same bytes (default 7)")
    parser.add_argument(
        "--shape", choices=["uniform", "heavy"], default="uniform", help="family sizes 2-9, or heavy-tailed"
    )
    parser.add_argument(
        "--copies", type=int, metavar="N", help="one template and N copies of it among --docs documents (no --shape)"
    )
    parser.add_argument("--stats", action="store_true", help="print family sizes and stock-phrase frequencies")
    parser.add_argument("--out", type=Path, required=True, help="folder for corpus.jsonl and truth.json")
    args = parser.parse_args()
    if args.copies is not None and args.shape != "uniform":
        parser.error("--copies makes its own corpus; leave out --shape")
    docs = JsonlDocs(args.out / "corpus.jsonl")  # streamed: a million documents never sit in memory
    corpus = (
        copies(args.copies, args.docs, args.seed, docs)
        if args.copies is not None
        else generate(args.docs, args.seed, args.shape, docs)
    )
    write(corpus, args.out)
    if args.stats:
        print(stats(corpus))


if __name__ == "__main__":
    main()
