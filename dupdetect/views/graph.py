"""The family graph for Gephi, Cytoscape and networkx: GraphML or GEXF bytes.

Both are drawn from :func:`dupdetect.views.files.family_graph`, so they hold the
same nodes, edges and attributes, with every string already stripped of
what XML forbids and no None or list values. GraphML keeps
``export.write_graphml``'s settings (key ids are the attribute names, so
Gephi never reads ``d3`` as a label). GEXF 1.2 is written here rather than by
``networkx.write_gexf``, which stamps the day into the file: ``label`` and
``weight`` are GEXF's own node label and edge weight, each family gets a
``viz:color`` (Paul Tol's bright scheme; grey outside any family) and node
size grows with the document's length.
"""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Literal

import networkx as nx

from dupdetect.model.types import Report
from dupdetect.views.files import family_graph

GraphFormat = Literal["graphml", "gexf"]
GEXF_NS = "http://www.gexf.net/1.2draft"
VIZ_NS = "http://www.gexf.net/1.2draft/viz"
FAMILY_COLOURS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377")
"""Paul Tol's bright scheme, one per family in family order (repeating after six)."""
NO_FAMILY = "#BBBBBB"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_TYPES: tuple[tuple[type, str], ...] = ((bool, "boolean"), (int, "integer"), (float, "double"), (str, "string"))


def graph_bytes(report: Report, *, fmt: GraphFormat = "graphml", directed: bool = False) -> bytes:
    """The family graph of ``report`` as a GraphML or GEXF file's bytes (UTF-8)."""
    if fmt == "gexf":
        return gexf_bytes(report, directed=directed)
    out = io.BytesIO()
    nx.write_graphml(family_graph(report, directed=directed), out, encoding="utf-8", named_key_ids=True)
    return out.getvalue()


def family_colours(report: Report) -> dict[str, str]:
    """Each family's colour, ``#RRGGBB``."""
    return {f.id: FAMILY_COLOURS[i % len(FAMILY_COLOURS)] for i, f in enumerate(report.families)}


def gexf_bytes(report: Report, *, directed: bool = False) -> bytes:
    """The family graph as GEXF 1.2: label, weight, a colour per family, attributes typed once."""
    graph = family_graph(report, directed=directed)
    colours = family_colours(report)
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", VIZ_NS)
    root = ET.Element(_q("gexf"), {"version": "1.2"})
    meta = ET.SubElement(root, _q("meta"))
    ET.SubElement(meta, _q("creator")).text = str(graph.graph.get("generator", "dupdetect"))
    ET.SubElement(meta, _q("description")).text = "dupdetect family graph: documents that share passages"
    body = ET.SubElement(
        root, _q("graph"), {"defaultedgetype": "directed" if directed else "undirected", "mode": "static"}
    )
    node_data = [dict(data) for _, data in graph.nodes(data=True)]
    edge_data = [dict(data) for _, _, data in graph.edges(data=True)]
    node_types = _declare(body, "node", node_data, skip={"label"})
    edge_types = _declare(body, "edge", edge_data, skip={"weight"})
    nodes = ET.SubElement(body, _q("nodes"))
    for node_id, data in graph.nodes(data=True):
        node = ET.SubElement(nodes, _q("node"), {"id": str(node_id), "label": str(data.get("label", node_id))})
        _attvalues(node, data, node_types)
        _viz(node, colours.get(str(data.get("family", "")), NO_FAMILY), int(data.get("chars", 0)))
    edges = ET.SubElement(body, _q("edges"))
    for i, (source, target, data) in enumerate(graph.edges(data=True)):
        attrs = {"id": str(i), "source": str(source), "target": str(target), "weight": _text(data.get("weight", 1.0))}
        _attvalues(ET.SubElement(edges, _q("edge"), attrs), data, edge_types)
    ET.indent(root, space=" ")
    return (_DECLARATION + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def _q(tag: str, ns: str = GEXF_NS) -> str:
    return f"{{{ns}}}{tag}"


def _declare(parent: ET.Element, kind: str, rows: Iterable[Mapping[str, object]], *, skip: set[str]) -> dict[str, str]:
    """Declare each attribute once, typed by its first value (GEXF's own label/weight are not attributes)."""
    types: dict[str, str] = {}
    for row in rows:
        for name, value in row.items():
            if name not in skip and name not in types:
                types[name] = next(t for cls, t in _TYPES if isinstance(value, cls))
    block = ET.SubElement(parent, _q("attributes"), {"class": kind, "mode": "static"})
    for name, gexf_type in types.items():
        ET.SubElement(block, _q("attribute"), {"id": name, "title": name, "type": gexf_type})
    return types


def _attvalues(element: ET.Element, data: Mapping[str, object], types: Mapping[str, str]) -> None:
    values = ET.SubElement(element, _q("attvalues"))
    for name in types:
        if name in data:
            ET.SubElement(values, _q("attvalue"), {"for": name, "value": _text(data[name])})


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)


def _viz(node: ET.Element, colour: str, chars: int) -> None:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    ET.SubElement(node, _q("color", VIZ_NS), {"r": str(r), "g": str(g), "b": str(b), "a": "1.0"})
    ET.SubElement(node, _q("size", VIZ_NS), {"value": f"{4 + math.sqrt(max(0, chars)) / 4:.2f}"})
