from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from dupdetect import detect
from dupdetect.model.serialize import report_json
from dupdetect.views.files import clean_xml, write_graphml, write_outputs
from tests.conftest import make_doc, make_info

BODY = (
    "今天我们召开全市安全生产工作会议,主要任务是总结去年工作,分析当前形势,部署今年任务,确保全年目标顺利实现。"
    "各级各部门要切实提高政治站位,把安全生产摆在更加突出的位置,层层压实责任,确保各项措施落到实处。"
    "要深入开展隐患排查治理,对排查出的问题建立台账,明确整改时限和责任人,做到整改闭环,坚决防范遏制重特大事故发生。"
)


def _report():  # type: ignore[no-untyped-def]
    docs = [
        make_doc("ctrl\x01\x0c<b>&.txt", "标题\x1b[31m\n" + BODY),
        make_doc("plain.txt", "另一个标题\n" + BODY),
        make_doc("alone.txt", "春风送暖,万物复苏,学校要把立德树人作为根本任务。" * 5),
    ]
    return detect(docs)


def test_graphml_round_trips_through_networkx_despite_control_characters(tmp_path: Path) -> None:
    paths = write_outputs(_report(), tmp_path)
    graph = nx.read_graphml(paths["graph"])
    assert set(graph.nodes) == {"ctrl<b>&.txt", "plain.txt"}
    node = graph.nodes["plain.txt"]
    assert node["label"] == "另一个标题" and node["family"] == "F1" and isinstance(node["chars"], int)
    (edge,) = graph.edges(data=True)
    assert set(edge[2]) >= {"weight", "coverage_a", "coverage_b", "shared_chars", "passages"}
    assert isinstance(edge[2]["weight"], float)


def test_graphml_key_ids_are_attribute_names_not_d3_d7(tmp_path: Path) -> None:
    text = write_outputs(_report(), tmp_path)["graph"].read_text(encoding="utf-8")
    assert 'id="d3"' not in text and 'id="d7"' not in text
    assert '<key id="label" for="node" attr.name="label" attr.type="string"' in text
    assert '<key id="weight" for="edge" attr.name="weight" attr.type="double"' in text


def test_report_json_follows_the_contract() -> None:
    data = json.loads(report_json(_report()))
    assert data["schema_version"] == 1 and data["tool"]["name"] == "dupdetect"
    assert {"documents", "families", "pairs", "slots", "warnings", "config"} <= set(data)
    doc = data["documents"][0]
    assert set(doc) >= {"id", "source", "span", "title", "chars", "encoding", "family", "role", "placeholders"}
    (pair,) = data["pairs"]
    assert pair["a"] < pair["b"]
    assert set(pair) >= {"a", "b", "similarity", "coverage_a", "coverage_b", "passages"}


def test_clean_xml_keeps_cjk_tabs_and_newlines() -> None:
    assert clean_xml("安全\t生产\n\x00\x08\ufffe\ud800ok") == "安全\t生产\nok"


def test_directed_graph_says_who_was_copied_from_whom(speeches_dir: Path, tmp_path: Path) -> None:
    from dupdetect import scan

    report = scan([str(speeches_dir)])
    graph = nx.read_graphml(write_outputs(report, tmp_path)["directed"])
    assert graph.is_directed()
    # every member but the template has one edge into it per family it is in, from the member it was aligned
    # against; the template none (no copy -> copy edge in id order, as there was)
    expected = {(f.aligned_with[m], m, f.id) for f in report.families for m in f.members if m != f.template}
    edges = {(s, t, fid) for s, t, d in graph.edges(data=True) for fid in d["family"].split(";")}
    assert edges == expected
    assert {relation for *_, relation in graph.edges(data="relation")} == {"template"}  # (each copies it)
    template = "famA-template-placeholders.txt"
    assert set(graph.successors(template)) >= {"famA-copy-filled.txt", "famA-copy-traditional.txt"}
    assert not list(graph.predecessors(template))
    # the mosaic hangs off each family it draws on, and says so
    mosaic = graph.nodes["mosaic-famA-famB.txt"]
    assert mosaic["role"] == "mosaic" and len(mosaic["families"].split(";")) == 2
    assert {
        graph.edges[s, "mosaic-famA-famB.txt"]["family"] for s in graph.predecessors("mosaic-famA-famB.txt")
    } == set(mosaic["families"].split(";"))


def test_graph_nodes_carry_title_site_and_date(tmp_path: Path) -> None:
    from dataclasses import replace

    report = _report()
    report = replace(
        report,
        documents=tuple(
            replace(d, site="www.example-fanwen.cn", date="2021-05-03") if d.id == "plain.txt" else d
            for d in report.documents
        ),
    )
    for name in ("graph", "directed"):
        graph = nx.read_graphml(write_outputs(report, tmp_path)[name])
        node = graph.nodes["plain.txt"]
        assert (node["title"], node["site"], node["date"]) == ("另一个标题", "www.example-fanwen.cn", "2021-05-03")
        assert node["families"] == "F1" and graph.nodes["ctrl<b>&.txt"]["site"] == ""


def _pair(a: str, b: str, coverage_a: float, coverage_b: float, shared: int = 100):  # type: ignore[no-untyped-def]
    from dupdetect.model.types import DocPair

    return DocPair(a, b, similarity=0.5, coverage_a=coverage_a, coverage_b=coverage_b, shared_chars=shared, passages=())


def _family_report(aligned_with: dict[str, str], template: str | None = "t"):  # type: ignore[no-untyped-def]
    """A report of one family {t, a, b, c} (pairs t-a, a-b, b-c) and a pair x-y outside it."""
    from dataclasses import replace

    from dupdetect.model.types import DocumentInfo, Family, Span

    def doc(name: str, family: str | None) -> DocumentInfo:
        return make_info(name, span=Span(0, 9), title=name.upper(), chars=9, family=family)

    roles = {m: "template" if m == template else "copy" for m in "abct"}
    family = Family("F1", ("a", "b", "c", "t"), template, roles, aligned_with=aligned_with)  # type: ignore[arg-type]
    pairs = (
        _pair("a", "t", 0.9, 0.8, 1000),
        _pair("a", "b", 0.4, 0.4, 200),
        _pair("b", "c", 0.3, 0.7, 800),
        _pair("x", "y", 0.2, 0.6),  # outside any family: from the side less reused
    )
    documents = tuple(doc(n, "F1" if n in family.members else None) for n in ("a", "b", "c", "t", "x", "y"))
    return replace(_report(), documents=documents, families=(family,), pairs=pairs)


def test_directed_graph_is_a_tree_from_the_template_even_where_members_were_aligned_with_each_other() -> None:
    from dupdetect.views.files import family_graph

    # b and c were each aligned against the other (each's nearest member): they are joined to the tree
    # through the pair that shares the most with a member in it (a-b), then b-c
    report = _family_report({"a": "t", "b": "c", "c": "b"})
    graph = family_graph(report, directed=True)
    assert sorted(graph.edges(data="relation")) == [
        ("a", "b", "member"),
        ("b", "c", "member"),
        ("t", "a", "template"),
        ("x", "y", "pair"),
    ]
    assert graph.edges["b", "c"]["coverage_target"] == 0.7 and graph.edges["x", "y"]["family"] == ""
    assert family_graph(report).number_of_edges() == 4  # the undirected graph keeps every pair
    # a report written before aligned_with (none given) gets the same tree
    assert sorted(family_graph(_family_report({}), directed=True).edges()) == sorted(graph.edges())


def test_a_family_without_a_template_keeps_its_pairs_as_pair_edges() -> None:
    from dupdetect.views.files import family_graph

    graph = family_graph(_family_report({}, template=None), directed=True)
    # no template, no tree: every pair runs from the side less of which is reused (ties: as the pair has it)
    assert sorted(graph.edges(data="relation")) == [
        ("a", "b", "pair"),
        ("b", "c", "pair"),
        ("t", "a", "pair"),
        ("x", "y", "pair"),
    ]


def test_outputs_are_written_whole_with_no_temporary_files_left(tmp_path: Path) -> None:
    write_outputs(_report(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "families-directed.graphml",
        "families.graphml",
        "report.json",
    ]


def test_dumps_writes_keys_as_json_does() -> None:
    from dupdetect.model.serialize import dumps

    data = {"a": 1, True: 2, None: 3, 4: [5]}
    assert json.loads(dumps(data)) == json.loads(json.dumps(data))


def test_report_json_written_item_by_item_is_the_same_text(tmp_path: Path) -> None:
    docs = [
        make_doc("bidi\u202e\u2028.txt", "标题\u0085\u200f\n" + BODY),
        make_doc("plain.txt", "另一个标题\n" + BODY),
        make_doc("alone.txt", "春风送暖,万物复苏,学校要把立德树人作为根本任务。" * 5),
    ]
    report = detect(docs)
    write_outputs(report, tmp_path)
    text = (tmp_path / "report.json").read_text(encoding="utf-8")
    assert text == report_json(report)
    assert "\\u202e" in text and "\u202e" not in text  # the escaped characters stay escaped


def test_report_json_from_columns_is_the_text_of_the_values(speeches_dir: Path, tmp_path: Path) -> None:
    from dataclasses import replace

    from dupdetect import read_corpus
    from dupdetect.model.columns import Rows
    from dupdetect.model.report import reused_share

    docs, _ = read_corpus([str(speeches_dir)])
    report = detect(docs, jobs=1)
    assert all(isinstance(v, Rows) and len(v) for v in (report.pairs, report.slots, report.edits))
    # the same report with its pairs, slots and edits made as values: the JSON is written through them
    values = replace(report, pairs=tuple(report.pairs), slots=tuple(report.slots), edits=tuple(report.edits))
    assert report_json(report) == report_json(values)
    assert reused_share(report.pairs) == reused_share(values.pairs)  # (read from the coverage columns)
    for directed in (False, True):  # the graphs' edges are read from the columns too
        write_graphml(report, tmp_path / "rows.graphml", directed=directed)
        write_graphml(values, tmp_path / "values.graphml", directed=directed)
        assert (tmp_path / "rows.graphml").read_bytes() == (tmp_path / "values.graphml").read_bytes()
    assert len({p.a for p in values.pairs} | {p.b for p in values.pairs}) < 2 * len(values.pairs)  # (shared docs)

    from dupdetect.views.marks import find_pair

    for p in values.pairs[:5]:  # found in the id columns, either way round
        assert find_pair(report, p.b, p.a) == p == find_pair(values, p.a, p.b)
    assert find_pair(report, "nobody", values.pairs[0].a) is None


def test_the_slots_stage_takes_the_pairs_from_one_chunk(speeches_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a take from a table of many chunks copies the whole table: once per family, in every worker
    from dupdetect import read_corpus
    from dupdetect.engine import pipeline
    from dupdetect.model import columns

    monkeypatch.setattr(columns, "BATCH_ROWS", 3)  # the pairs' table is built 3 rows a batch
    seen = []
    find_slots = pipeline._find_slots

    def recording(corpus, families, pairs, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((pairs.num_rows, pairs.column("a").num_chunks))
        return find_slots(corpus, families, pairs, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_find_slots", recording)
    docs, _ = read_corpus([str(speeches_dir)])
    detect(docs, jobs=1)
    assert len(seen) == 1 and seen[0][0] > 3 and seen[0][1] == 1


def test_an_output_through_a_link_replaces_the_file_it_names_and_a_device_is_written_in_place(tmp_path: Path) -> None:
    import stat

    from dupdetect.views.files import write_atomically

    (tmp_path / "target.csv").write_text("keep")
    (tmp_path / "link.csv").symlink_to("target.csv")
    write_atomically(tmp_path / "link.csv", lambda p: p.write_text("new"))
    assert (tmp_path / "link.csv").is_symlink() and (tmp_path / "target.csv").read_text() == "new"
    write_atomically(Path("/dev/null"), lambda p: p.write_text("new"))  # (replaced, as root it was a file)
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)
    with pytest.raises(FileNotFoundError) as raised:  # an error names the file asked for, not the temporary one
        write_atomically(tmp_path / "missing" / "x.csv", lambda p: p.write_text("x"))
    assert raised.value.filename == str(tmp_path / "missing" / "x.csv")
