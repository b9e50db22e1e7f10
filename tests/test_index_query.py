"""A saved index answers a new speech: its matches, the families it joins, its fills (as a full scan finds)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dupdetect import Config, clean_document, detect, read_corpus, scan
from dupdetect.index.query import Searcher
from dupdetect.index.store import MANIFEST, SavedIndex, build_index
from dupdetect.model.answer import Answer
from dupdetect.model.errors import InputError

HELD = ("famA-copy-traditional.txt", "en-copy-filled.txt", "famB-copy-big5.txt", "unrelated-1-stock-phrases.txt")


@pytest.fixture(scope="module")
def answers(speeches_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Answer]:
    docs, _ = read_corpus([str(speeches_dir)])
    base = [d for d in docs if not d.id.endswith(HELD)]
    index, report = build_index(iter(base), tmp_path_factory.mktemp("index") / "ix", jobs=1)
    assert index.documents == len(report.documents) == len(base)
    asked = [d for d in docs if d.id.endswith(HELD)]
    return {a.query.rsplit("/", 1)[-1]: a for a in Searcher(SavedIndex.open(index.path)).ask(asked)}


@pytest.fixture(scope="module")
def full(speeches_dir: Path):  # type: ignore[no-untyped-def]
    return scan([str(speeches_dir)], jobs=1)


def _fills(full, query: str) -> dict[tuple[str, int, int], str | None]:  # type: ignore[no-untyped-def]
    family = next(f for f in full.families if query in f.members)
    return {(s.template_text, *s.span.as_list()): s.fills.get(query) for s in full.slots if s.family == family.id}


def test_a_copy_joins_its_family_and_fills_its_slots_as_a_full_scan_finds(answers, full) -> None:  # type: ignore[no-untyped-def]
    for held, template in (
        ("famA-copy-traditional.txt", "famA-template-placeholders.txt"),
        ("famB-copy-big5.txt", "famB-template.txt"),
    ):
        answer = answers[held]
        assert answer.matched and not answer.matches[0].duplicate
        # one family (famB's copy shares famB's half with the mosaic, and joins famA's family not through it)
        (joined,) = answer.families
        assert joined.template is not None and joined.template.endswith(template)
        got = {(s.template_text, *s.span.as_list()): s.fills.get(answer.query) for s in joined.fills}
        assert len(got) >= 10 and got == _fills(full, answer.query)


def test_a_copy_of_a_document_in_no_family_makes_one_with_it(answers, full) -> None:  # type: ignore[no-untyped-def]
    answer = answers["en-copy-filled.txt"]
    (joined,) = answer.families
    assert joined.family == "" and joined.template is not None
    assert joined.template.endswith("en-template-placeholders.txt")
    got = {(s.template_text, *s.span.as_list()): s.fills.get(answer.query) for s in joined.fills}
    assert got == _fills(full, answer.query) and any(got.values())


def test_stock_phrases_alone_match_nothing(answers) -> None:  # type: ignore[no-untyped-def]
    answer = answers["unrelated-1-stock-phrases.txt"]
    assert not answer.matched and answer.families == ()


def test_a_folder_without_an_index_or_of_another_format_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no dupdetect index here"):
        SavedIndex.open(tmp_path)
    (tmp_path / MANIFEST).write_text(json.dumps({"format": 999}), encoding="utf-8")
    with pytest.raises(InputError, match=r"format 999.*build it again"):
        SavedIndex.open(tmp_path)


def test_the_commands_index_and_query_answer_with_exit_status_0_1_2(speeches_dir: Path, tmp_path: Path) -> None:
    import shutil

    from typer.testing import CliRunner

    from dupdetect.cli import app

    runner = CliRunner()
    base = tmp_path / "base"
    shutil.copytree(speeches_dir, base)
    for held in HELD:
        (base / held).unlink()
    index = tmp_path / "ix"
    built = runner.invoke(app, ["index", str(base), "--index", str(index), "--jobs", "1", "-q"])
    assert built.exit_code == 0, built.output
    assert "indexed 14 documents" in built.stdout
    copy = speeches_dir / "famA-copy-traditional.txt"
    asked = runner.invoke(app, ["query", str(copy), "--index", str(index), "-f", "json"])
    assert asked.exit_code == 0, asked.output
    (answer,) = json.loads(asked.stdout)
    assert answer["matched"] and answer["families"][0]["template"] == "famA-template-placeholders.txt"
    fills = {s["slot"]: s["fill"] for s in answer["families"][0]["slots"]}
    start, end = answer["families"][0]["slots"][0]["fill_span"]
    assert copy.read_text(encoding="utf-8")[start:end] == fills[1] and len(fills) >= 10
    table = runner.invoke(app, ["query", "-", "--index", str(index)], input=copy.read_text(encoding="utf-8"))
    assert table.exit_code == 0 and "famA-template-placeholders.txt" in table.stdout and fills[1] in table.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = runner.invoke(app, ["query", str(empty), "--index", str(index)])
    assert nothing.exit_code == 2 and "No speech was read" in nothing.stdout
    alone = runner.invoke(app, ["query", str(speeches_dir / "unrelated-1-stock-phrases.txt"), "--index", str(index)])
    assert alone.exit_code == 1 and "shares no substantial passage" in alone.stdout
    for speech, folder in ((tmp_path / "missing.txt", index), (copy, base)):  # (base: a folder with no index)
        refused = runner.invoke(app, ["query", str(speech), "--index", str(folder)])
        assert refused.exit_code == 2 and "error:" in refused.stderr and "Traceback" not in refused.output
    # --html: the same answer as one self-contained page; a hostile speech's text is escaped
    hostile = tmp_path / "hostile.txt"
    hostile.write_text('<script>alert("x")</script><img src="http://example.com/x.png">\n' + copy.read_text("utf-8"))
    page = tmp_path / "answer.html"
    shown = runner.invoke(
        app,
        [
            "query",
            str(hostile),
            str(speeches_dir / "unrelated-1-stock-phrases.txt"),
            "--index",
            str(index),
            "--html",
            str(page),
        ],
    )
    assert shown.exit_code == 0, shown.output
    html = page.read_text(encoding="utf-8")
    assert html.count('<section class="speech"') == 2 and html.count('<section class="pair"') >= 2
    assert "famA-template-placeholders.txt" in html and f'<span class="fill">{fills[1]}</span>' in html
    assert "shares no substantial passage" in html and "Content-Security-Policy" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html and 'src="http' not in html


_SPEECH = (
    "同志们:\n今天,我们在这里召开xx安全生产工作会议,主要任务是深入贯彻落实上级关于安全生产工作的决策部署,"
    "总结20xx年全省安全生产工作,分析当前面临的形势。x月x日某某镇发生了一起较大事故,刚才,xxx同志通报了全省安全生产情况。\n"
    "过去一年,全省各级各部门层层压实责任,全年共排查整改各类隐患***处,事故起数实现双下降。\n"
    "今年要紧盯危险化学品、道路交通、建筑施工等重点行业领域,深入开展安全生产大检查,对发现的问题实行清单化管理,"
    "做到整改一项、销号一项,坚决防范遏制重特大事故发生。各地要认真落实属地管理责任,加强隐患排查治理。\n"
)


def _filled(place: str, date: str, who: str) -> str:
    text = _SPEECH.replace("xx安全", place + "安全", 1).replace("x月x日某某镇", date, 1)
    return text.replace("xxx同志", who + "同志", 1)


def test_a_date_slot_cut_in_two_is_filled_whole_when_the_speech_has_no_date(tmp_path: Path) -> None:
    from tests.conftest import make_doc

    base = [
        make_doc("a-template.txt", _SPEECH),
        make_doc("b-copy.txt", _filled("黑龙江省", "6月30日城关镇", "王建国")),
        make_doc("c-copy.txt", _filled("吉林省", "7月1日河口镇", "李明")),
    ]
    index, _ = build_index(iter(base), tmp_path / "ix", jobs=1)
    searcher = Searcher(SavedIndex.open(index.path))
    asked = [
        make_doc("q-date.txt", _filled("辽宁省", "8月9日清河镇", "赵强")),
        make_doc("q-none.txt", _filled("辽宁省", "近日城关镇", "赵强")),
    ]
    dated, undated = searcher.ask(asked)
    fills = [{s.template_text: s.fills.get(a.query) for s in a.families[0].fills} for a in (dated, undated)]
    assert fills[0]["x月x日"] == "8月9日" and fills[0]["某某"] == "清河" and fills[0]["xx"] == "辽宁省"
    # the speech wrote no date: its words stand in the whole slot, once (not in both halves)
    assert fills[1]["x月x日"] == "近日城关" and fills[1]["某某"] is None


def test_a_damaged_or_mismatched_index_and_big5_on_standard_input(speeches_dir: Path, tmp_path: Path) -> None:
    import shutil

    from typer.testing import CliRunner

    from dupdetect.cli import app

    runner = CliRunner()
    base = tmp_path / "base"
    shutil.copytree(speeches_dir, base)
    (base / "famB-copy-big5.txt").unlink()
    index = tmp_path / "ix"
    assert runner.invoke(app, ["index", str(base), "--index", str(index), "--jobs", "1", "-q"]).exit_code == 0
    big5 = (speeches_dir / "famB-copy-big5.txt").read_bytes()
    asked = runner.invoke(app, ["query", "-", "--index", str(index), "-f", "json"], input=big5)
    assert asked.exit_code == 0, asked.output
    assert json.loads(asked.stdout)[0]["families"][0]["template"] == "famB-template.txt"
    damaged = tmp_path / "damaged"
    shutil.copytree(index, damaged)
    with (damaged / "g000001" / "lookup" / "band_keys.npy").open("r+b") as handle:
        handle.truncate(1000)
    other = tmp_path / "other"
    shutil.copytree(index, other)
    shutil.rmtree(other / "g000001" / "work")
    scan([str(speeches_dir / "famA-template-placeholders.txt")], jobs=1, work=other / "g000001" / "work")
    for folder, says in ((damaged, "band_keys.npy holds 1000 bytes"), (other, "a damaged index")):
        refused = runner.invoke(app, ["query", str(speeches_dir / "famB-copy-big5.txt"), "--index", str(folder)])
        said = " ".join(refused.stderr.split())  # (the console wraps the line at its width)
        assert refused.exit_code == 2 and says in said and "Traceback" not in refused.output


def test_an_index_keeps_only_what_a_query_reads_and_is_built_again_beside_itself(
    speeches_dir: Path, tmp_path: Path
) -> None:
    from dupdetect.index.store import QUERIED, WORK

    docs, _ = read_corpus([str(speeches_dir)])
    base = [d for d in docs if not d.id.endswith(HELD)]
    asked = [d for d in docs if d.id.endswith("famA-copy-traditional.txt")]
    for generation in ("g000001", "g000002"):  # the second build makes a generation, then removes the first
        index, _report = build_index(iter(base), tmp_path / "ix", jobs=1)
        index.close()  # (a reader holding the index keeps its generation: see test_index_add)
        assert index.generation == generation and sorted(p.name for p in index.path.glob("g*")) == [generation]
        assert {p.name for p in (index.path / generation / WORK).iterdir()} <= QUERIED
        with SavedIndex.open(index.path) as opened:
            (answer,) = Searcher(opened).ask(asked)
        assert answer.families[0].template == "famA-template-placeholders.txt" and len(answer.families[0].fills) >= 10


def test_a_page_of_an_indexed_site_is_cleaned_of_the_lines_the_site_repeats(tmp_path: Path) -> None:
    import random

    from tests.conftest import make_doc

    rng = random.Random(1)
    words = "安全生产责任落实隐患排查整改监管执法宣传教育应急救援能力建设"
    pages = []
    for i in range(5):
        body = "\n".join(f"第{i}篇第{k}段：" + "".join(rng.choice(words) for _ in range(120)) for k in range(4))
        text = f"东方文稿网 讲话频道 第{i + 1}期\n{body}\n本文由东方文稿网会员上传分享\n版权所有 东方文稿网"
        pages.append(make_doc(f"p{i}.txt", text))
    index, report = build_index(iter(pages), tmp_path / "ix", jobs=1)
    assert any(r.rule == "repeated_line" for d in report.documents for r in d.chrome)  # (the scan learnt it)
    again = make_doc("again.txt", pages[2].text)  # the same page, asked alone
    elsewhere = make_doc("elsewhere.txt", pages[2].text.replace("东方文稿网", "西方文稿网"))  # another site's
    with index:
        same, other = Searcher(index).ask([again, elsewhere])
    assert [(m.doc, m.duplicate) for m in same.matches] == [("p2.txt", True)]
    assert [(m.doc, m.duplicate) for m in other.matches] == [("p2.txt", False)]


def test_scan_with_index_writes_the_report_a_scan_writes_and_keeps_an_index(speeches_dir: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dupdetect.cli import app

    runner = CliRunner()
    plain = runner.invoke(app, ["scan", str(speeches_dir), "--out", str(tmp_path / "plain"), "-q", "--jobs", "1"])
    index = tmp_path / "ix"
    args = ["scan", str(speeches_dir), "--out", str(tmp_path / "kept"), "--html", str(tmp_path / "kept.html")]
    kept = runner.invoke(app, [*args, "--index", str(index), "-q", "--jobs", "1"])
    assert plain.exit_code == kept.exit_code == 0, kept.output
    said = [json.loads((tmp_path / run / "report.json").read_text(encoding="utf-8")) for run in ("plain", "kept")]
    assert said[0] == said[1] and plain.stdout == kept.stdout
    assert "famA-template-placeholders.txt" in (tmp_path / "kept.html").read_text(encoding="utf-8")
    asked = runner.invoke(app, ["query", str(speeches_dir / "famA-copy-traditional.txt"), "--index", str(index)])
    assert asked.exit_code == 0 and "famA-template-placeholders.txt" in asked.stdout
    both = runner.invoke(app, ["scan", str(speeches_dir), "--index", str(index), "--work", str(tmp_path / "w")])
    assert both.exit_code == 2 and "not both" in both.stderr


def test_lines_learnt_for_a_folder_are_not_dropped_from_a_pasted_speech(tmp_path: Path) -> None:
    from dupdetect.engine.pipeline import without_site_chrome
    from dupdetect.engine.work import WorkDir
    from dupdetect.model.columns import site_chrome_from
    from tests.conftest import make_doc

    pages = [make_doc(f"p{i}.txt", f"第{i}篇讲话正文，各项工作扎实推进。\n精品范文每日更新\n") for i in range(5)]
    work = tmp_path / "work"
    detect(pages, jobs=1, work=work)
    learned = site_chrome_from(WorkDir.open(work, through="prepare").read_table("site_chrome"))
    assert learned == {"folder:.": {"精品范文每日更新"}}  # (no site named: the pages' folder)
    pasted = make_doc("(pasted)", "另一篇讲话，各项工作扎实推进。\n精品范文每日更新\n")
    (cleaned,) = clean_document(pasted)
    assert without_site_chrome(cleaned, learned, Config().clean) == cleaned


def test_a_template_asked_shows_what_the_documents_it_matches_filled_in(
    speeches_dir: Path, tmp_path: Path, full
) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from dupdetect.cli import app

    docs, _ = read_corpus([str(speeches_dir)])
    template = "famA-template-placeholders.txt"
    index, _report = build_index(iter(d for d in docs if not d.id.endswith(template)), tmp_path / "ix", jobs=1)
    with index:
        (answer,) = Searcher(index).ask([d for d in docs if d.id.endswith(template)])
    (mine,) = [j for j in answer.families if j.template == answer.query]
    assert mine.family == "" and mine.pair is None and len(mine.fills) >= 10
    # what each copy filled into the template's slots: as the full scan (the template indexed) found it
    family = next(f for f in full.families if f.template == template)
    scanned = {(s.template_text, *s.span.as_list()): s.fills for s in full.slots if s.family == family.id}
    for copy in ("famA-copy-filled.txt", "famA-copy-traditional.txt"):
        found = {(s.template_text, *s.span.as_list()): s.fills.get(copy) for s in mine.fills}
        agree = [key for key, fill in found.items() if key in scanned and scanned[key].get(copy) == fill]
        assert len(agree) >= 10, (copy, found)
    asked = ["query", str(speeches_dir / template), "--index", str(tmp_path / "ix")]
    shown = CliRunner().invoke(app, asked, env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and "the speech is the template" in " ".join(shown.stdout.split())
    assert "famA-copy-filled.txt" in shown.stdout
    page = tmp_path / "answer.html"
    assert CliRunner().invoke(app, [*asked, "--html", str(page)]).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "it is their template" in html and "<th>famA-copy-filled.txt</th>" in html


def test_a_passage_cut_into_other_paragraphs_is_found_by_its_sentence_anchors(tmp_path: Path) -> None:
    import dataclasses
    import random

    from tests.conftest import make_doc

    rng = random.Random(0)  # (a draw where no paragraph of the speech meets one of the source in an LSH band)
    chars = "经济社会发展规划建设改革开放创新驱动绿色生态民生保障城乡融合乡村振兴数字治理营商环境"

    def sentence(n: int = 39) -> str:
        return "".join(rng.choice(chars) for _ in range(n)) + "。"

    def around(run: str, n: int) -> str:
        return "".join(sentence() for _ in range(n)) + run + "".join(sentence() for _ in range(n))

    shared = [sentence() + sentence() + sentence() for _ in range(3)]
    source = "\n\n".join(around(run, 25) for run in shared)  # (each run 5 % of a long paragraph)
    speech = make_doc("speech.txt", "\n\n".join(around(run, 2) for run in shared))  # (43 % of a short one)
    others = ["\n\n".join("".join(sentence() for _ in range(20)) for _ in range(3)) for _ in range(6)]
    docs = [make_doc("source.txt", source)] + [make_doc(f"other{i}.txt", t) for i, t in enumerate(others)]
    index, _ = build_index(iter(docs), tmp_path / "ix", jobs=1)
    with index:
        assert index.anchors is not None and len(index.anchors) > 100
        (found,) = Searcher(index).ask([speech])
        (without,) = Searcher(dataclasses.replace(index, anchors=None)).ask([speech])
    assert [m.doc for m in found.matches] == ["source.txt"] and not without.matches
    assert found.matches[0].pair.shared_chars >= 3 * 110


def test_the_speeches_of_a_compilation_page_are_compared_with_each_other(speeches_dir: Path, tmp_path: Path) -> None:
    import networkx as nx
    from typer.testing import CliRunner

    from dupdetect.cli import app
    from tests.conftest import ROOT

    page = ROOT / "fixtures" / "seeds" / "004_f8dd9b243d2243c2.txt"
    index, _ = build_index(iter(read_corpus([str(speeches_dir)])[0]), tmp_path / "ix", jobs=1)
    with index:
        answers = list(Searcher(index).ask(read_corpus([str(page)])[0]))
    related = nx.Graph((a.query, m.doc) for a in answers for m in a.page_matches)
    grouped = {frozenset(c) for c in nx.connected_components(related)}
    scanned = {frozenset(f.members) for f in scan([str(page)], jobs=1).families}  # (the page scanned alone)
    titled = re.findall(r"^.*范文\(\d+篇\)篇[一二三四五六七八九十]+$", page.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(answers) == len(titled) and grouped == scanned and len(grouped) >= 3  # one answer a speech: 17
    shown = CliRunner().invoke(app, ["query", str(page), "--index", str(tmp_path / "ix")], env={"COLUMNS": "200"})
    assert "on the same page, it shares passages with" in shown.stdout


def test_a_mosaic_match_names_every_family_it_borrows_from(speeches_dir: Path, tmp_path: Path, full) -> None:  # type: ignore[no-untyped-def]
    docs, _ = read_corpus([str(speeches_dir)])
    index, _ = build_index(iter(docs), tmp_path / "ix", jobs=1)
    with index:
        (answer,) = Searcher(index).ask([d for d in docs if d.id.endswith("famB-copy-big5.txt")])
    (mosaic,) = [m for m in answer.matches if m.doc.endswith("mosaic-famA-famB.txt")]
    expected = tuple(sorted(f.id for f in full.families if mosaic.doc in f.members))
    assert len(expected) == 2 and tuple(sorted(mosaic.families)) == expected
    assert [j.family for j in answer.families] == [
        next(f.id for f in full.families if f.template == "famB-template.txt")
    ]


def test_a_copy_with_an_appendix_form_of_its_own_is_not_taken_for_the_template(
    speeches_dir: Path, tmp_path: Path
) -> None:
    from dataclasses import replace

    docs, _ = read_corpus([str(speeches_dir)])
    copy = next(d for d in docs if d.id.endswith("famA-copy-filled.txt"))
    form = "\n\n附件：回执\n" + "\n".join(f"单位：XXX  姓名：XXX  职务：XXX  电话：XXX  第{i}栏" for i in range(8))
    asked = replace(copy, id="with-form.txt", text=copy.text + form, span=replace(copy.span, end=len(copy.text + form)))
    index, _ = build_index(iter(d for d in docs if d is not copy), tmp_path / "ix", jobs=1)
    with index:
        (answer,) = Searcher(index).ask([asked])
    assert answer.families and all(j.template != answer.query for j in answer.families)
    assert answer.families[0].template == "famA-template-placeholders.txt" and len(answer.families[0].fills) >= 10
