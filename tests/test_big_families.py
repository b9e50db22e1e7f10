"""Big families and stock phrases: a template copied hundreds of times is one family, found at a
cost linear in its size; the genre's stock sentences join no unrelated speeches."""

from __future__ import annotations

import random
import re
from pathlib import Path

from dupdetect import Config, Document, detect
from tests.conftest import make_doc

TEMPLATE = (
    Path(__file__).resolve().parent.parent / "fixtures" / "speeches" / "famA-template-placeholders.txt"
).read_text(encoding="utf-8")
CITIES = ["绥化", "九江", "漳州", "德阳", "宜宾", "衢州", "泸溪", "宁远", "安平", "临江"]
NAMES = ["周立群", "陈卫东", "林志强", "王德明", "孙卫国"]
HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
# three stock sentences of our own, in the genre's manner
STOCK = (
    "坚持把人民群众的利益放在首位，守住底线、筑牢防线。",
    "一张蓝图绘到底，一任接着一任干，久久为功、善作善成。",
    "以钉钉子精神抓好各项任务落实，确保取得实实在在的成效。",
)


def copies(n: int, seed: int = 1) -> list[Document]:
    """The template and ``n`` copies of it: placeholders filled, eight characters changed in each."""
    rng = random.Random(seed)
    docs = [make_doc("t0000.txt", TEMPLATE)]
    for i in range(n):
        text = re.sub(r"×××|[xX]{2}|__", lambda _: rng.choice(CITIES + NAMES), TEMPLATE)
        chars = list(text)
        for _ in range(8):
            at = rng.randrange(len(chars))
            if "\u4e00" <= chars[at] <= "\u9fff":
                chars[at] = rng.choice(HAN)
        docs.append(make_doc(f"c{i:04d}.txt", "".join(chars)))
    return docs


def unrelated(n: int, seed: int = 2) -> list[Document]:
    """``n`` speeches of their own text, each carrying the same three stock sentences somewhere."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        paragraphs = ["".join(rng.choice(HAN) for _ in range(rng.randint(80, 160))) + "。" for _ in range(8)]
        for sentence in STOCK:
            at = rng.randrange(len(paragraphs))
            cut = rng.randrange(len(paragraphs[at]))
            paragraphs[at] = paragraphs[at][:cut] + sentence + paragraphs[at][cut:]
        docs.append(make_doc(f"s{i:04d}.txt", "同志们：\n" + "\n".join(paragraphs)))
    return docs


def test_a_template_copied_300_times_is_one_family_with_every_member_aligned_against_it() -> None:
    report = detect(copies(300) + unrelated(30), jobs=1)
    assert len(report.families) == 1
    family = report.families[0]
    assert len(family.members) == 301 and family.template == "t0000.txt"
    assert set(family.aligned_with) == set(family.members) - {"t0000.txt"}
    assert set(family.aligned_with.values()) == {"t0000.txt"}
    filled = {doc for s in report.slots for doc in s.fills}
    assert filled == set(family.members) - {"t0000.txt"}  # every member's fills, read off its template pair


def test_300_unrelated_speeches_sharing_three_stock_sentences_form_no_family() -> None:
    report = detect(unrelated(300), jobs=1)
    assert report.families == ()
    assert report.counts["stock_shingles"] > 0  # the sentences were told apart as stock phrases


def test_stock_sentences_inside_a_big_family_do_not_pull_unrelated_speeches_in() -> None:
    docs = copies(60)
    stocked = [make_doc(d.id, d.text.replace("同志们：", "同志们：" + "".join(STOCK))) for d in docs]
    report = detect(stocked + unrelated(120), jobs=1)
    assert [len(f.members) for f in report.families] == [61]


def test_aligned_pairs_grow_at_most_linearly_with_the_number_of_copies() -> None:
    aligned = {}
    for n in (25, 50, 100, 200):
        counts = detect(copies(n, seed=n), jobs=1).counts
        aligned[n] = counts["aligned_document_pairs"] + counts["template_alignments"]
        assert counts["families"] == 1
    # all pairs would be n(n+1)/2 (20,100 at 200 copies); each member costs a few alignments at most
    assert all(aligned[n] <= 4 * (n + 1) for n in aligned)
    assert aligned[200] / aligned[25] <= 2 * 200 / 25


def test_the_opt_in_caps_are_off_by_default() -> None:
    config = Config()
    assert config.candidates.max_df is None and config.candidates.max_bucket is None
    assert config.families.giant_min is None


def test_two_members_without_a_reported_pair_are_aligned_on_demand_for_the_diff() -> None:
    from dupdetect.engine.pipeline import align_pair
    from dupdetect.views.marks import find_pair, pair_view

    docs = copies(40)
    report = detect(docs, jobs=1)
    texts = {d.id: d.text for d in docs}
    a, b = "c0005.txt", "c0031.txt"
    assert find_pair(report, a, b) is None  # a family of 41: members are paired with the template
    view = pair_view(report, texts, a, b, pair=align_pair(report, texts, a, b))
    assert view.pair is not None and view.pair.coverage_a > 0.8
    assert all(texts[a][p.a.start : p.a.end] and texts[b][p.b.start : p.b.end] for p in view.passages)
    assert pair_view(report, texts, a, "t0000.txt").pair == find_pair(report, a, "t0000.txt")


def test_a_few_members_editing_one_place_is_an_edit_and_every_member_differing_is_a_slot() -> None:
    docs = copies(60)
    plain = detect(docs, jobs=1)
    assert plain.slots and all(s.kind == "explicit" for s in plain.slots)  # 8 random edits a copy: no slot
    word = "风险挑战"
    assert word in TEMPLATE
    rng = random.Random(3)
    renamed = [docs[0]] + [
        make_doc(d.id, d.text.replace(word, rng.choice(["困难问题", "矛盾隐患", "短板弱项", "形势任务"]), 1))
        for d in docs[1:]
    ]
    implicit = [s for s in detect(renamed, jobs=1).slots if s.kind == "implicit"]
    assert len(implicit) == 1 and implicit[0].template_text == word and len(implicit[0].fills) >= 40


# sixteen stock sentences of our own; speeches made mostly of them share long runs by chance
FORMULAS = (
    "各级党委政府要切实扛起主体责任，确保各项部署落地见效",
    "坚持以人民为中心的发展思想，着力解决群众急难愁盼问题",
    "要把思想和行动统一到上级决策部署上来，不折不扣抓好落实",
    "进一步压紧压实各方责任，形成一级抓一级、层层抓落实的工作格局",
    "要坚持问题导向和目标导向，聚焦短板弱项精准发力",
    "全面加强干部队伍建设，锻造忠诚干净担当的高素质干部队伍",
    "持续深化作风建设，坚决反对形式主义、官僚主义",
    "要统筹发展和安全，守住不发生系统性风险的底线",
    "加强督查督办，对工作不力的严肃问责，绝不姑息迁就",
    "要强化宣传引导，营造全社会共同参与的良好氛围",
    "以更加昂扬的斗志、更加务实的作风，奋力完成全年目标任务",
    "牢固树立底线思维，做好应对各种风险挑战的充分准备",
    "要坚持一张蓝图绘到底，一任接着一任干，久久为功",
    "各部门要加强协调配合，形成工作合力，确保取得实效",
    "要健全长效机制，推动各项工作制度化、规范化、常态化",
    "让我们更加紧密地团结起来，为全面完成各项任务而努力奋斗",
)


def formula_speeches(n: int, seed: int = 4) -> list[Document]:
    """``n`` speeches whose paragraphs string four stock sentences together, each with its own number."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        paragraphs = ["，".join(rng.sample(FORMULAS, 4)) + f"，第{rng.randrange(1000)}项任务。" for _ in range(8)]
        docs.append(make_doc(f"f{i:04d}.txt", f"在第{i}次工作会议上的讲话\n同志们：\n" + "\n".join(paragraphs)))
    return docs


def test_speeches_made_of_stock_sentences_do_not_collapse_into_one_family() -> None:
    docs = formula_speeches(120)
    told_apart = detect(docs, jobs=1)
    # two speeches may still share a run of three formulas in the same order by chance: a pair at most
    assert max((len(f.members) for f in told_apart.families), default=0) <= 2
    blind = Config().with_overrides(candidates={"stock_min_docs": 10**9})  # without stock-phrase detection
    assert [len(f.members) for f in detect(docs, jobs=1, config=blind).families] == [120]


def test_stock_phrases_found_over_chunks_in_worker_processes_are_the_same(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import dupdetect.engine.local
    import dupdetect.stages.candidates as candidates
    from dupdetect.engine.appendfile import ArrayFile
    from dupdetect.engine.local import mapper
    from dupdetect.stages.fingerprint import shingle_ranges
    from dupdetect.stages.normalize import normalize
    from dupdetect.stages.segment import segment_rows

    shingles = []
    for d in formula_speeches(60) + copies(30):
        norm = normalize(d.text)
        shingles.append(shingle_ranges(norm, segment_rows(d.text, norm)[:, 2:]))
    whole = candidates.stock_phrases(shingles, run=mapper(1))
    monkeypatch.setattr(candidates, "_CHUNK_DOCS", 7)  # 13 chunks: over the in-process limit of 8
    monkeypatch.setattr(dupdetect.engine.local, "MIN_ITEMS", 2)
    assert len(whole) and candidates.stock_phrases(shingles, run=mapper(2)).tolist() == whole.tolist()
    assert candidates.stock_phrases(shingles, run=mapper(1)).tolist() == whole.tolist()
    # the chunks' codes left in a file by the workers (as a scan keeps them), read back a range at a time
    store = ArrayFile(tmp_path / "parts")
    assert candidates.stock_phrases(shingles, run=mapper(2), store=store).tolist() == whole.tolist()
    assert store.path.stat().st_size > 0


def test_pairs_inside_one_big_family_are_found_by_arrays_mosaics_too() -> None:
    import itertools

    import numpy as np

    from dupdetect.engine.pipeline import _in_one_big_family
    from dupdetect.model.types import Family

    ids = [f"d{i}" for i in range(12)]
    position = {d: i for i, d in enumerate(ids)}

    def family(name: str, members: list[int]) -> Family:
        return Family(name, tuple(ids[m] for m in members), ids[members[0]], {})

    # d5 is a mosaic of two big families; d9-d11 a small family
    families = [family("A", [0, 1, 2, 3, 4, 5]), family("B", [5, 6, 7, 8]), family("C", [9, 10, 11])]
    pairs = np.array(list(itertools.combinations(range(12), 2)), dtype=np.int64)
    held = _in_one_big_family(pairs, position, families, big=3)
    expected = [
        any(ids[a] in f.members and ids[b] in f.members for f in families if len(f.members) > 3) for a, b in pairs
    ]
    assert held.tolist() == expected and sum(expected) == 15 + 6
