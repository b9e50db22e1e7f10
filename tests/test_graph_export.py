"""``export graph``: GraphML as export.py writes it, GEXF with labels, weights and family colours."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx

from dupdetect import Report, detect
from dupdetect.views.files import write_graphml
from dupdetect.views.graph import GEXF_NS, NO_FAMILY, VIZ_NS, family_colours, gexf_bytes, graph_bytes
from tests.conftest import make_doc

BODY = (
    "今天我们召开全市安全生产工作会议,主要任务是总结去年工作,分析当前形势,部署今年任务,确保全年目标顺利实现。"
    "各级各部门要切实提高政治站位,把安全生产摆在更加突出的位置,层层压实责任,确保各项措施落到实处。"
    "要深入开展隐患排查治理,对排查出的问题建立台账,明确整改时限和责任人,做到整改闭环,坚决防范遏制重特大事故发生。"
)


def _hostile_report() -> Report:
    return detect(
        [
            make_doc("ctrl\x01\x0c<b>&.txt", "标题\x1b[31m\n" + BODY),
            make_doc("plain.txt", "另一个标题\n" + BODY),
        ]
    )


def _rgb(colour: str) -> dict[str, int | float]:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0}


def test_graphml_is_the_bytes_export_writes(fixture_report: Report, tmp_path: Path) -> None:
    for directed in (False, True):
        path = tmp_path / f"g{directed}.graphml"
        write_graphml(fixture_report, path, directed=directed)
        assert graph_bytes(fixture_report, fmt="graphml", directed=directed) == path.read_bytes()


def test_gexf_round_trips_through_networkx_with_label_weight_and_types(fixture_report: Report) -> None:
    graph = nx.read_gexf(io.BytesIO(gexf_bytes(fixture_report)))
    assert not graph.is_directed()
    node = graph.nodes["famA-copy-filled.txt"]
    assert node["label"] == "在绥化市2023年安全生产工作会议上的讲话"
    assert node["family"] == "F1" and node["role"] == "copy" and isinstance(node["chars"], int)
    assert isinstance(node["coverage"], float)
    edge = graph.edges["famA-copy-filled.txt", "famA-template-placeholders.txt"]
    assert isinstance(edge["weight"], float) and 0.9 < edge["weight"] <= 1.0
    assert isinstance(edge["shared_chars"], int) and edge["passages"] == 1
    assert graph.number_of_edges() == len(fixture_report.pairs)


def test_gexf_gives_each_family_its_own_colour(fixture_report: Report) -> None:
    graph = nx.read_gexf(io.BytesIO(gexf_bytes(fixture_report)))
    colours = family_colours(fixture_report)
    assert len(set(colours.values())) == len(fixture_report.families)
    for _, data in graph.nodes(data=True):
        assert data["viz"]["color"] == _rgb(colours.get(data["family"], NO_FAMILY))
        assert data["viz"]["size"] > 4


def test_gexf_directed_runs_from_template_to_copies(fixture_report: Report) -> None:
    graph = nx.read_gexf(io.BytesIO(gexf_bytes(fixture_report, directed=True)))
    assert graph.is_directed()
    assert "famA-copy-filled.txt" in set(graph.successors("famA-template-placeholders.txt"))


def test_gexf_survives_control_characters_and_markup_in_names() -> None:
    data = gexf_bytes(_hostile_report())
    root = ET.fromstring(data)
    ids = {n.get("id") for n in root.iter(f"{{{GEXF_NS}}}node")}
    assert ids == {"ctrl<b>&.txt", "plain.txt"}
    assert all(c.get("r") for c in root.iter(f"{{{VIZ_NS}}}color"))


def test_gexf_is_deterministic_and_declares_each_attribute_once(fixture_report: Report) -> None:
    data = gexf_bytes(fixture_report)
    assert data == gexf_bytes(fixture_report)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(data)
    names = [a.get("id") for a in root.iter(f"{{{GEXF_NS}}}attribute")]
    assert len(names) == len(set(names)) and "label" not in names and "weight" not in names
    assert b"lastmodifieddate" not in data
