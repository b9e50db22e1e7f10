"""Deterministic speech-like corpora for the benchmark, with their ground truth.

    python benchmarks/generate.py --docs 10000 --out benchmarks/data/10k

writes ``corpus.jsonl`` (``{"id", "text"}`` per line) and ``truth.json``
(``{"families": [[ids...]], "singletons": [ids...]}``, in the labels format
of docs/LABELS.md) into ``--out``.

Text is built from the sentences of the bundled fixture speeches, recombined
and mutated (a share of the Han characters replaced by others drawn from the
same texts) so that unrelated documents share no more than the genre's stock
phrases. About a third of the documents belong to template families: a
template with placeholders, filled copies, reordered, cut and edited copies,
Traditional-script copies, copies inside page chrome, and mosaics that take
half of their text from each of two families.
"""

from __future__ import annotations

import argparse
import json
import random
import re
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
PLACES = ["绥化市", "九江市", "漳州市", "德阳市", "宜宾市", "衢州市", "泸溪县", "宁远县", "安平县", "临江区"]
NAMES = ["周立群", "陈卫东", "林志强", "王德明", "孙卫国", "王海平", "彭建军", "赵明远", "李建华", "何健"]
PLACEHOLDERS = ["xx", "×××", "XX", "20xx年", "x月x日", "***", "__"]
CHROME_TOP = "当前位置:首页 > 范文大全 > 讲话稿\n发布时间:2024-03-08 09:41\n下面是小编为大家整理的讲话稿,供大家参考。\n"
CHROME_BOTTOM = (
    "\n推荐访问:讲话稿 会议讲话\n版权所有:范文示例网 2002-2024 未经授权禁止复制\n"
    "Powered by 范文示例网 备案号:示ICP备00000000号\n"
)


@dataclass
class Corpus:
    docs: list[tuple[str, str]]
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

    def speech(self, paragraphs: int = PARAGRAPHS) -> list[str]:
        """A new speech: fixture sentences recombined, then mutated into new text."""
        text = "\n".join(self.paragraph() for _ in range(paragraphs))
        mutated = self.mutate(text, MUTATION).split("\n")
        for stock in self.rng.sample(STOCK, 2):  # the genre's stock phrases, everywhere
            i = self.rng.randrange(len(mutated))
            mutated[i] = stock + "," + mutated[i]
        return mutated

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


def _copy(w: Writer, template: list[str], kind: str, s2t: opencc.OpenCC) -> str:
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
        filled.insert(w.rng.randrange(len(filled)), w.speech(1)[0])
    text = "\n".join(filled)
    if kind == "traditional":
        text = s2t.convert(text)
    if kind == "chrome":
        text = CHROME_TOP + text + CHROME_BOTTOM
    return text


def generate(n_docs: int, seed: int = 7) -> Corpus:
    """A corpus of ``n_docs`` documents; about a third in template families."""
    w = Writer(seed)
    s2t = opencc.OpenCC("s2t")
    kinds = ["filled", "filled", "reordered", "cut", "edited", "traditional", "chrome"]
    docs: list[tuple[str, str]] = []
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
        text = "\n".join(w.fill(templates[a][:15]) + w.fill(templates[b][15:]))
        mid = f"m{k:05d}-f{a:05d}-f{b:05d}"
        docs.append((mid, text))
        families[a].append(mid)
        families[b].append(mid)
    singletons = [f"s{i:06d}" for i in range(max(0, n_docs - len(docs)))]
    docs.extend((sid, "\n".join(w.speech())) for sid in singletons)
    return Corpus(docs=docs, families=families, singletons=singletons)


def write(corpus: Corpus, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "corpus.jsonl").open("w", encoding="utf-8") as f:
        for doc_id, text in corpus.docs:
            f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    truth = {"families": {f"G{i + 1}": m for i, m in enumerate(corpus.families)}, "singletons": corpus.singletons}
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write(generate(args.docs, args.seed), args.out)


if __name__ == "__main__":
    main()
