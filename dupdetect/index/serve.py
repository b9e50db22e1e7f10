"""``dupdetect serve``: a local web page to ask a saved index from (Flask, served by Werkzeug).

Three pages, each one self-contained HTML document built by the views (every piece of text escaped,
nothing loaded from anywhere: the Content-Security-Policy allows the page's own style and script and
forms sent back to this host, nothing else):

- ``/``: a form to paste a speech or choose (or drop) a file, and the indexed families, biggest first,
  searchable by id, template, title or site (the catalogue, :mod:`dupdetect.index.catalog`);
- ``POST /ask``: the answer, as ``dupdetect query --html`` gives it, with the form again;
- ``/family/<id>``: a family's slots and members, and its template side by side with one member
  (``?member=``) and what it filled in.

Requests are served one at a time (the index's searcher is not shared between threads). Uploads larger
than ``max_upload`` bytes are refused (413) before they are read. When the index's manifest names
another generation (an ``add`` finished), the next request opens it.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, urlencode

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException
from werkzeug.serving import BaseWSGIServer, make_server

from dupdetect.index.catalog import Catalog, FamilyRow
from dupdetect.index.query import Searcher
from dupdetect.index.store import SavedIndex, current_generation
from dupdetect.model.errors import DupdetectError
from dupdetect.model.types import Document, ScanWarning, Span
from dupdetect.read.decode import decode_text
from dupdetect.read.ingest import iter_documents
from dupdetect.views.answer_page import (
    answers_body,
    answers_header,
    fill_marks,
    pane,
    slot_marks,
    slots_table,
)
from dupdetect.views.html import content_security_policy, esc, page, pair_section
from dupdetect.views.marks import side_by_side

MAX_UPLOAD = 20 << 20
"""Bytes a request may bring (a speech pasted or a file chosen): 20 MiB."""
FAMILIES_SHOWN = 100
MEMBERS_SHOWN = 500
STYLE = """
form.ask{display:grid;gap:6px;max-width:60em;margin:1em 0 2em}
form.ask textarea{width:100%;min-height:12em;font:inherit;padding:6px;box-sizing:border-box}
form.ask button,form.find button{justify-self:start;padding:4px 14px;font:inherit}
form.find{margin:.5em 0}form.find input{width:24em;font:inherit;padding:3px}
.notice{padding:8px 12px;border-left:4px solid #CC6677;background:var(--panel)}
""".strip()


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def make_app(index: Path, *, max_upload: int = MAX_UPLOAD, host: str = "127.0.0.1") -> Flask:
    """The page's application for the index folder ``index`` (opened now: a folder with no index fails here,
    with the one-line error ``query`` gives). Served on a loopback ``host``, it answers only requests
    naming this machine (a web page elsewhere cannot reach it through a name of its own)."""
    state = _Opened(index)
    app = Flask("dupdetect.serve")
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_FORM_MEMORY_SIZE"] = max_upload
    if host in LOOPBACK:
        app.config["TRUSTED_HOSTS"] = list(LOOPBACK)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = content_security_policy(forms=True, style=STYLE)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/")
    def home() -> Response:
        searcher, catalog = state.now()
        search = request.args.get("q", "")[:200]
        start = _number(request.args.get("from"))
        rows, total = catalog.families(search, limit=FAMILIES_SHOWN, offset=start)
        return _page("dupdetect serve", _header(searcher), _form(max_upload) + _families(rows, total, search, start))

    @app.post("/ask")
    def ask() -> Response:
        searcher, _catalog = state.now()
        docs, problems = _asked(searcher)
        if not docs:
            said = "; ".join(problems) or "Nothing to check: paste a speech or choose a file."
            notice = f'<p class="notice">{esc(said)}</p>'
            return _page("dupdetect serve", _header(searcher), notice + _form(max_upload), 400)
        answers = list(searcher.ask(docs))
        notes = "".join(f'<p class="notice">{esc(p)}</p>' for p in problems)
        body = notes + _form(max_upload) + answers_body(answers, searcher.shown(answers))
        return _page("dupdetect serve: answer", answers_header(answers, _about(searcher)) + _NAV, body)

    @app.get("/family/<family_id>")
    def family(family_id: str) -> Response:
        searcher, catalog = state.now()
        row = catalog.family(family_id)
        if row is None:
            return _page("not found", _header(searcher), f'<p class="notice">No family {esc(family_id)}.</p>', 404)
        return _page(f"dupdetect serve: {row.id}", _header(searcher), _family(searcher, catalog, row))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        said = f"The upload is larger than {_mib(max_upload)}; check a smaller file." if error.code == 413 else ""
        notice = f'<p class="notice">{esc(said or str(error.name) + ".")}</p>'
        return _page(f"{error.code} {error.name}", _NAV, notice, error.code or 500)

    @app.errorhandler(Exception)
    def _failed(error: Exception) -> Response:  # (no traceback reaches the page)
        said = str(error) if isinstance(error, DupdetectError) else f"internal error ({type(error).__name__})"
        return _page("error", _NAV, f'<p class="notice">{esc(said)}</p>', 500)

    return app


def server(index: Path, host: str = "127.0.0.1", port: int = 8765, *, max_upload: int = MAX_UPLOAD) -> BaseWSGIServer:
    """The page's server, bound (``port`` 0: any free port; ``server.port`` says which); ``serve_forever()``."""
    return make_server(host, port, make_app(index, max_upload=max_upload, host=host), threaded=False)


class _Opened:
    """The index's searcher and catalogue, opened again when the manifest names another generation."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.searcher = Searcher(SavedIndex.open(path))
        self.catalog = self.searcher.index.catalog()

    def now(self) -> tuple[Searcher, Catalog]:
        if current_generation(self.path) not in (None, self.searcher.index.generation):
            searcher = Searcher(SavedIndex.open(self.path))
            self.catalog.close()
            self.searcher.close()  # (the older generation's files are let go: the next writer removes them)
            self.searcher, self.catalog = searcher, searcher.index.catalog()
        return self.searcher, self.catalog


def _asked(searcher: Searcher) -> tuple[list[Document], list[str]]:
    """The speeches a request brings: the text pasted, the file chosen (read as ``scan`` reads a file)."""
    docs: list[Document] = []
    problems: list[str] = []
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        name = _file_name(upload.filename)
        data = upload.read()
        with tempfile.TemporaryDirectory(prefix="dupdetect-serve-") as folder:
            (Path(folder) / name).write_bytes(data)
            warnings: list[ScanWarning] = []
            read = iter_documents([str(Path(folder) / name)], config=searcher.config.ingest, on_warning=warnings.append)
            try:
                docs.extend(replace(d, source=d.source.replace(folder + "/", "", 1)) for d in read)
            except DupdetectError as exc:
                problems.append(f"{name}: {str(exc).replace(folder + '/', '')}")
            problems.extend(f"{name}: {w.message.replace(folder + '/', '')}" for w in warnings)
    text = request.form.get("text", "")
    if text.strip():
        text = decode_text(text.encode("utf-8", "surrogatepass")).text  # (as a file's text is: line ends, BOM)
        docs.append(Document(id="pasted", source="(pasted)", text=text, span=Span(0, len(text)), encoding="utf-8"))
    return docs, problems


def _file_name(given: str) -> str:
    """An uploaded file's name as it is kept: its last part, printable, at most 100 characters (its extension
    chooses how it is read)."""
    name = "".join(c for c in given.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable())[-100:]
    return name if name.strip(".") else "upload"


def _mib(size: int) -> str:
    return f"{size / 2**20:.3g} MiB"


def _page(title: str, header: str, body: str, status: int = 200) -> Response:
    html = page(title, f"{header}<main>{body}</main>", forms=True, style=STYLE)
    return Response(html, status=status, mimetype="text/html")


_NAV = '<header><nav><a href="/">Ask · all families</a></nav></header>'


def _about(searcher: Searcher) -> str:
    index = searcher.index
    return f"index {index.path.name}: {index.documents} documents, generation {index.generation}"


def _header(searcher: Searcher) -> str:
    return (
        f'<header><h1>dupdetect serve</h1><p class="meta">{esc(_about(searcher))}</p>'
        '<nav><a href="/">Ask</a><a href="/#families">Families</a></nav></header>'
    )


def _form(max_upload: int) -> str:
    return (
        '<form class="ask" method="post" action="/ask" enctype="multipart/form-data">'
        '<label for="text"><b>Paste a speech</b></label><textarea id="text" name="text"></textarea>'
        f'<label for="file">or choose (or drop here) a file: .txt, .docx, .html, .pdf, .jsonl, … up to '
        f"{_mib(max_upload)}</label>"
        '<input type="file" id="file" name="file">'
        '<button type="submit">Check it against the index</button></form>'
    )


def _families(rows: list[FamilyRow], total: int, search: str, start: int) -> str:
    find = (
        '<form class="find" method="get" action="/#families">'
        f'<input type="search" name="q" value="{esc(search)}" placeholder="family, template, title or site" '
        'aria-label="search the families"> <button type="submit">Search</button></form>'
    )
    body = "".join(
        f'<tr><td><a href="/family/{quote(r.id, safe="")}">{esc(r.id)}</a></td><td>{esc(r.title)}</td>'
        f'<td>{esc(r.site)}</td><td>{esc(r.date)}</td><td class="num">{r.size}</td><td class="num">{r.slots}</td>'
        f"<td>{esc(r.template or '')}</td></tr>"
        for r in rows
    )
    shown = f"{start + 1}–{start + len(rows)} of {total}" if rows else f"none of {total}"
    more = ""
    if start + len(rows) < total:
        after = urlencode({"q": search, "from": start + len(rows)})
        more = f'<p><a href="/?{after}#families">next {FAMILIES_SHOWN}</a></p>'
    return (
        f'<section id="families"><h2>Indexed families</h2>{find}<p class="meta">{esc(shown)}, the biggest first</p>'
        '<div class="scroll"><table><thead><tr><th>family</th><th>title</th><th>site</th><th>date</th>'
        '<th class="num">members</th><th class="num">slots</th><th>template</th></tr></thead>'
        f"<tbody>{body}</tbody></table></div>{more}</section>"
    )


def _family(searcher: Searcher, catalog: Catalog, row: FamilyRow) -> str:
    members = list(catalog.members(row.id))
    others = [m["id"] for m in members if m["id"] != row.template]
    member = request.args.get("member", "")
    member = member if member in others else (others[0] if others else "")
    slots = searcher.slots(row.id)
    head = (
        f"<h2>{esc(row.id)}: template {esc(row.template or '(none)')}</h2>"
        f'<p class="meta">{esc(" · ".join(x for x in (row.title, row.site, row.date) if x))} · {row.size} members, '
        f"{row.mosaics} mosaics, {row.slots} slots</p>"
    )
    table = (
        f"<h3>Slots, and what {esc(member or 'a member')} filled in</h3>"
        + slots_table(slots, [(member, member)], counted=True)
        if slots
        else '<p class="muted">The template has no slots.</p>'
    )
    listed = "".join(
        f'<li><a href="/family/{quote(row.id, safe="")}?{urlencode({"member": m["id"]})}">{esc(m["id"])}</a> '
        f'<span class="meta">{esc(m["role"] or "")} · {esc(m["title"])}</span></li>'
        for m in members[:MEMBERS_SHOWN]
    )
    more = f'<p class="muted">and {len(members) - MEMBERS_SHOWN} more</p>' if len(members) > MEMBERS_SHOWN else ""
    view = ""
    if row.template and member:
        template = pane(searcher.indexed(row.template), slot_marks(slots))
        copy = pane(searcher.indexed(member), fill_marks(slots, member))
        view = pair_section(side_by_side(searcher.pair(row.template, member), template, copy), "family-pair")
    return f"{head}{table}{view}<h3>Members</h3><ul>{listed}</ul>{more}"


def _number(text: str | None) -> int:
    try:
        return max(0, int(text or 0))
    except ValueError:
        return 0
