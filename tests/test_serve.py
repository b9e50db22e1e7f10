"""`dupdetect serve`: the page asks the index as `query --html` does, lists and searches the families,
shows a family side by side; escapes what it is sent; refuses large uploads; follows an add."""

from __future__ import annotations

import io
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from dupdetect import read_corpus
from dupdetect.cli import app as cli
from dupdetect.index.serve import make_app, server
from dupdetect.index.store import add_documents, build_index

COPY = "famA-copy-traditional.txt"


@pytest.fixture(scope="module")
def index(speeches_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs, _ = read_corpus([str(speeches_dir)])
    folder = tmp_path_factory.mktemp("serve") / "ix"
    build_index(iter(d for d in docs if not d.id.endswith(("famB-copy-big5.txt", COPY))), folder, jobs=1)[0].close()
    return folder


def test_the_page_lists_and_searches_the_families_and_answers_a_pasted_speech(index: Path, speeches_dir: Path) -> None:
    client = make_app(index).test_client()
    home = client.get("/")
    html = home.get_data(as_text=True)
    assert home.status_code == 200 and "form-action 'self'" in home.headers["Content-Security-Policy"]
    assert home.headers["X-Content-Type-Options"] == "nosniff" and 'name="text"' in html and 'type="file"' in html
    assert all(f'href="/family/F{i}"' in html for i in (1, 2, 3, 4)) and "1–4 of 4" in html
    found = client.get("/", query_string={"q": "防汛"}).get_data(as_text=True)
    assert 'href="/family/F2"' in found and 'href="/family/F1"' not in found and "1–1 of 1" in found
    speech = (speeches_dir / COPY).read_text(encoding="utf-8")
    answer = client.post("/ask", data={"text": speech})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "joins F1" in html and "famA-template-placeholders.txt" in html
    assert '<span class="fill">漳州</span>' in html and '<section class="pair"' in html


def test_a_file_is_read_as_the_scan_reads_it_and_what_is_sent_is_escaped(index: Path, speeches_dir: Path) -> None:
    client = make_app(index, max_upload=100_000).test_client()
    big5 = (speeches_dir / "famB-copy-big5.txt").read_bytes()
    answer = client.post("/ask", data={"file": (io.BytesIO(big5), "speech.txt")})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "joins F2" in html and "speech.txt" in html
    hostile = '<script>alert(1)</script><img src="http://example.com/x.png">' + (speeches_dir / COPY).read_text("utf-8")
    html = client.post("/ask", data={"text": hostile}).get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html and 'src="http' not in html
    empty = client.post("/ask", data={"text": "  "})
    assert empty.status_code == 400 and "Nothing to check" in empty.get_data(as_text=True)
    large = client.post("/ask", data={"text": "长" * 200_000})
    assert large.status_code == 413 and "larger than 0.0954 MiB" in large.get_data(as_text=True)
    assert client.get("/family/%3Cscript%3E").status_code == 404
    odd = client.post("/ask", data={"file": (io.BytesIO(big5), "../../\x00etc/pass wd.txt")})
    html = odd.get_data(as_text=True)
    assert odd.status_code == 200 and "joins F2" in html and "pass wd.txt" in html and "dupdetect-serve-" not in html


def test_a_pasted_speech_up_to_the_limit_is_read_and_other_hosts_are_refused(index: Path, speeches_dir: Path) -> None:
    client = make_app(index).test_client()
    speech = (speeches_dir / COPY).read_text(encoding="utf-8")
    long = speech + "\n" + "各地各部门要认真贯彻落实。" * 50_000  # (2 MB: more than a form field's default)
    answer = client.post("/ask", data={"text": long, "file": (io.BytesIO(b""), "")})
    assert answer.status_code == 200 and "joins F1" in answer.get_data(as_text=True)
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200


def test_a_family_page_shows_the_template_beside_a_member_and_its_fills(index: Path) -> None:
    client = make_app(index).test_client()
    page = client.get("/family/F1", query_string={"member": "famA-copy-edited-reordered.txt"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "famA-template-placeholders.txt ↔ famA-copy-edited-reordered.txt" in html
    assert "what famA-copy-edited-reordered.txt filled in" in html and html.count('class="fill"') >= 10
    assert 'href="/family/F1?member=' in html


def test_the_page_follows_an_add(index: Path, speeches_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    shutil.copytree(index, folder)
    client = make_app(folder).test_client()
    assert "4 members" not in client.get("/family/F2").get_data(as_text=True)
    docs, _ = read_corpus([str(speeches_dir / "famB-copy-big5.txt")])
    add_documents(iter(docs), folder, jobs=1)[0].close()
    html = client.get("/family/F2").get_data(as_text=True)
    assert "generation g000002" in html and "4 members" in html


def test_serve_warns_when_asked_to_listen_beyond_this_machine(tmp_path: Path) -> None:
    refused = CliRunner().invoke(cli, ["serve", "--index", str(tmp_path / "none"), "--host", "0.0.0.0", "--port", "0"])
    said = " ".join(refused.stderr.split())
    assert refused.exit_code == 1 and "warning: listening on 0.0.0.0" in said and "no dupdetect index here" in said


def test_in_a_browser_paste_see_the_fills_open_a_family_and_nothing_leaves_the_host(
    index: Path, speeches_dir: Path, tmp_path: Path
) -> None:
    from tests.test_browser import ARGS, CHROMIUM, _playwright_or_skip

    sync_playwright = _playwright_or_skip()
    running = server(index, "127.0.0.1", 0)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    home = f"http://127.0.0.1:{running.port}/"
    console: list[tuple[str, str]] = []
    errors: list[str] = []
    requests: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: console.append((m.type, m.text)))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(home)
            page.fill("#text", (speeches_dir / COPY).read_text(encoding="utf-8"))
            page.click("button[type=submit]")
            page.wait_for_load_state("load")
            assert "joins F1" in page.inner_text("section.speech")
            pane = page.locator("section.pair").first.locator(".pane").nth(0)
            assert pane.locator(".fill", has_text="漳州").count() >= 1
            page.screenshot(path=str(tmp_path / "serve-answer.png"), full_page=False)
            page.goto(home)
            page.fill("input[name=q]", "防汛")
            page.click("form.find button")
            page.click('a[href="/family/F2"]')
            page.wait_for_load_state("load")
            assert page.locator("section.pair .pane").count() == 2 and "F2: template" in page.inner_text("h2")
            browser.close()
    finally:
        running.shutdown()
        thread.join()
    assert errors == [] and [m for m in console if m[0] in ("error", "warning")] == []
    assert requests and all(urlsplit(u).netloc == f"127.0.0.1:{running.port}" for u in requests)
