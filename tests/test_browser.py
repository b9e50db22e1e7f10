"""The HTML report in a real browser: Debian's headless Chromium driven by Playwright.

The browser is never downloaded by Playwright (``playwright install`` is not
used): ``make test`` installs Debian's ``chromium`` with apt-get where it is
missing, and this module is skipped, with the reason in the test summary,
only where there is no browser to drive.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from dupdetect import scan
from dupdetect.read.ingest import iter_documents
from dupdetect.views.html import write_html
from dupdetect.views.marks import document_texts

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [str(ROOT / "fixtures" / "speeches"), str(ROOT / "fixtures" / "views" / "inject")]
TEMPLATE, REORDERED = "famA-template-placeholders.txt", "famA-copy-edited-reordered.txt"
CHROMIUM = os.environ.get("DUPDETECT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PALE_RGB = {"rgb(187, 204, 238)", "rgb(204, 238, 255)", "rgb(204, 221, 170)", "rgb(238, 238, 187)"}
PALE_RGB |= {"rgb(255, 204, 204)", "rgb(221, 221, 221)"}


@dataclass
class Session:
    """The opened report and everything the browser reported while it ran."""

    page: Any
    url: str
    shots: Path
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def _playwright_or_skip() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("BROWSER TEST SKIPPED: playwright is not installed; run `make test` (pip install -e '.[dev]')")
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"BROWSER TEST SKIPPED: no Chromium at {CHROMIUM}; `make test` installs Debian's chromium with "
            "apt-get, which failed or is not available here (set DUPDETECT_CHROMIUM to another binary)"
        )
    return sync_playwright


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    sync_playwright = _playwright_or_skip()
    work = tmp_path_factory.mktemp("browser")
    report = scan(CORPUS)
    texts = document_texts(report, iter_documents(CORPUS, on_warning=lambda w: None))
    html = work / "report.html"
    write_html(report, texts, html)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        s = Session(page, html.as_uri(), work)
        page.on("console", lambda m: s.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: s.errors.append(str(e)))
        page.on("dialog", lambda d: (s.dialogs.append(d.message), d.dismiss()))
        page.route("**/*", lambda route: _only_the_page(route, s))
        page.goto(s.url)
        page.wait_for_load_state("load")
        yield s
        browser.close()


def _only_the_page(route: Any, s: Session) -> None:
    """Let the report itself load; record and refuse anything else."""
    s.requests.append(route.request.url)
    if route.request.url == s.url:
        route.continue_()
    else:
        route.abort()


def _pair(s: Session, a: str, b: str) -> Any:
    """The pair's section, opened (the report's pairs start closed) by a click on its heading."""
    section = s.page.locator("section.pair", has=s.page.locator(".ids", has_text=f"{a} ↔ {b}"))
    if not section.locator("details").evaluate("d => d.open"):
        section.locator("summary").click()
    return section


def _in_view(element: Any, container: Any) -> bool:
    """Whether ``element`` is visible inside its scrolling ``container`` and in the window."""
    return bool(
        element.evaluate(
            """(el, box) => {
                const r = el.getBoundingClientRect(), c = box.getBoundingClientRect();
                return r.bottom > c.top && r.top < c.bottom && r.bottom > 0 && r.top < window.innerHeight;
            }""",
            container.element_handle(),
        )
    )


def test_nothing_is_fetched_and_nothing_fails(session: Session) -> None:
    assert session.requests == [session.url]
    assert session.errors == []
    assert [m for m in session.console if m[0] in ("error", "warning")] == []


def test_the_page_own_style_and_script_run_under_its_csp(session: Session) -> None:
    page = session.page
    mark = _pair(session, TEMPLATE, REORDERED).locator("mark.p").first
    assert mark.evaluate("el => getComputedStyle(el).backgroundColor") in PALE_RGB
    page.fill("#minlen", "0")
    assert page.locator("mark.off").count() == 0  # the script's handler ran: nothing hidden at 0


def test_a_known_pair_is_highlighted_in_both_panes(session: Session) -> None:
    section = _pair(session, TEMPLATE, REORDERED)
    panes = section.locator(".pane")
    assert panes.count() == 2
    for i in range(2):
        labels = panes.nth(i).locator("a.num")
        assert sorted(int(t.split()[0]) for t in labels.all_inner_texts()) == [1, 2, 3, 4, 5, 6]
        assert panes.nth(i).locator("mark.p").count() >= 6
    assert panes.nth(1).locator(".fill", has_text="九江").count() >= 1
    assert panes.nth(0).locator(".ph", has_text="×××").count() == 1


def test_a_click_on_a_passage_brings_its_match_into_view(session: Session) -> None:
    section = _pair(session, TEMPLATE, REORDERED)
    section.scroll_into_view_if_needed()
    left, right = section.locator(".pane .text").nth(0), section.locator(".pane .text").nth(1)
    for source, target, n in ((left, right, 6), (right, left, 1)):
        target.evaluate("el => { el.scrollTop = el.scrollHeight - el.scrollTop > el.clientHeight * 2 ? 99999 : 0 }")
        peer = target.locator(f'a.num[id$="-{n}"]')
        if _in_view(peer, target):
            target.evaluate("el => { el.scrollTop = el.scrollTop ? 0 : 99999 }")
        assert not _in_view(peer, target)
        source.locator(f'mark.p[data-peer$="-{n}"]').first.click()
        session.page.wait_for_timeout(100)
        assert _in_view(peer, target), n


def test_the_injected_script_fixture_did_not_run(session: Session) -> None:
    page = session.page
    assert session.dialogs == []
    assert page.locator("script").count() == 1 and page.locator("img").count() == 0
    text = _pair(session, "inject-template.txt", "inject-copy.txt").inner_text()
    assert "<script>alert(1)</script>" in text and '"><img src=x onerror=alert(1)>' in text
    assert "<b>加粗</b> &amp; &lt;不是标签&gt;" in text


def test_short_matches_can_be_hidden(session: Session) -> None:
    page = session.page
    total = page.locator("mark.p[data-len]").count()
    page.fill("#minlen", "100000")
    assert page.locator("mark.p.off").count() == total
    assert page.locator("#hidden").inner_text().endswith("hidden")
    page.fill("#minlen", "0")
    assert page.locator("mark.p.off").count() == 0


def test_print_shows_whole_panes_without_controls(session: Session) -> None:
    page = session.page
    page.emulate_media(media="print")
    try:
        displays = page.locator(".controls").evaluate_all("els => els.map(el => getComputedStyle(el).display)")
        assert len(displays) == 2 and set(displays) == {"none"}
        assert page.locator(".pane .text").first.evaluate("el => getComputedStyle(el).maxHeight") == "none"
    finally:
        page.emulate_media(media="screen")


def test_a_screenshot_is_saved(session: Session) -> None:
    section = _pair(session, TEMPLATE, REORDERED)
    section.scroll_into_view_if_needed()
    path = session.shots / "report.png"
    session.page.screenshot(path=str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    print(f"browser screenshot: {path}")


def test_chinese_has_a_font_to_be_drawn_in(session: Session) -> None:
    """Without a CJK font, chromium draws every Chinese character as an empty box: the page would pass the
    tests above and show nothing (make test installs fonts-wqy-microhei with chromium)."""
    import subprocess

    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    assert found.stdout.strip(), "no CJK font: apt-get install fonts-wqy-microhei (make test does)"


# --------------------------------------------------------------------------
# navigation (issue 20, point 8): find, sort, open a family on its own


def _visible_rows(s: Session, table: str) -> list[str]:
    """The text of each row of ``table`` the reader can see, top to bottom."""
    rows = s.page.locator(f"table#{table} tbody tr")
    return rows.evaluate_all("rs => rs.filter(r => r.offsetParent !== null).map(r => r.innerText)")


def _column(s: Session, table: str, n: int) -> list[str]:
    cells = s.page.locator(f"table#{table} tbody tr td:nth-child({n})")
    return [t.strip() for t in cells.all_inner_texts()]


def test_the_find_box_keeps_only_the_rows_that_hold_what_is_typed(session: Session) -> None:
    page = session.page
    everything = _visible_rows(session, "document-table")
    assert len(everything) == page.locator("table#document-table tbody tr").count() > 10
    try:
        for query in ("漳州", "青禾范文网", "famB-"):  # a title's word, a site, a piece of ids
            page.fill("#find", query)
            shown = _visible_rows(session, "document-table")
            assert shown and len(shown) < len(everything), query
            assert all(query in row for row in shown), query
            assert shown == [row for row in everything if query in row], query  # none that holds it is hidden
        families = _visible_rows(session, "family-table")  # the families' list is searched too
        assert families and all("famB-" in row for row in families)
        assert page.locator("#found").inner_text().startswith(f"{len(shown) + len(families)} of ")
        page.fill("#find", "没有这样的标题")
        assert _visible_rows(session, "document-table") == [] and _visible_rows(session, "family-table") == []
    finally:
        page.fill("#find", "")
    assert _visible_rows(session, "document-table") == everything


def test_the_find_box_matches_within_a_title_id_or_site_never_across_them(session: Session) -> None:
    page = session.page
    row = page.locator("table#document-table tbody tr").first
    title, doc_id = row.locator(".t").inner_text(), row.locator(".id").inner_text()
    across = title[-2:] + doc_id[:4]  # a title's end run into its id's start: in the row's text, in no field
    copy = page.locator("table#document-table tbody tr", has=page.locator("td:nth-child(5)", has_text="copy")).first
    member, family = copy.locator(".t").inner_text(), copy.locator("td:nth-child(4)").inner_text()
    lead = page.locator("table#family-table tbody tr", has=page.locator(f"a:text-is('{family}')")).locator(".t")
    assert member not in lead.inner_text()  # not the template's title: only the family's members hold it
    try:
        page.fill("#find", across)
        assert _visible_rows(session, "document-table") == [] and _visible_rows(session, "family-table") == []
        page.fill("#find", member)
        assert any(row.split("\t")[0].strip() == family for row in _visible_rows(session, "family-table"))
    finally:
        page.fill("#find", "")


def test_a_click_on_a_header_sorts_its_column(session: Session) -> None:
    page = session.page
    head = page.locator("table#document-table thead th", has_text="date").locator("button")
    dates = _column(session, "document-table", 3)
    known = [d for d in dates if d != "—"]
    assert known and len(known) < len(dates) and known != sorted(known)  # as listed: by family, not by date
    head.click()
    after = _column(session, "document-table", 3)
    assert after == sorted(known) + ["—"] * (len(dates) - len(known))  # no date: last
    head.click()
    assert _column(session, "document-table", 3) == sorted(known, reverse=True) + ["—"] * (len(dates) - len(known))
    chars = page.locator("table#document-table thead th", has_text="characters").locator("button")
    chars.click()
    counts = [int(c.replace(",", "")) for c in _column(session, "document-table", 6)]
    assert counts == sorted(counts) and len(set(counts)) > 1  # as numbers, not as text


def _opened(s: Session, selector: str) -> bool:
    return bool(s.page.locator(selector).evaluate("d => d.open"))


def test_a_family_opens_on_its_own_from_its_link_or_the_address(session: Session) -> None:
    page = session.page
    families = page.locator("details.family")
    assert families.count() >= 3
    assert not any(families.evaluate_all("ds => ds.map(d => d.open)"))  # closed: the page is not one long scroll
    assert not page.locator("#family-2 svg.graph").is_visible()
    page.locator("table#family-table a[href='#family-2']").click()
    assert _opened(session, "#family-2") and page.locator("#family-2 svg.graph").is_visible()
    assert page.locator("#family-2 summary").evaluate("el => el.getBoundingClientRect().top") < 900 / 2
    assert families.evaluate_all("ds => ds.filter(d => d.open).map(d => d.id)") == ["family-2"]
    page.goto(session.url + "#family-3")  # a link to the family from elsewhere: the URL's hash
    assert _opened(session, "#family-3") and page.locator("#family-3 svg.graph").is_visible()
    page.locator("#family-3 summary").click()  # and its heading closes it again
    assert not _opened(session, "#family-3")


def test_a_pair_opens_from_the_pair_list(session: Session) -> None:
    page = session.page
    link = page.locator("table#pair-table a[href^='#pair-']").nth(1)
    anchor = link.get_attribute("href")
    assert anchor is not None
    page.evaluate("id => { document.querySelector(id + ' > details').open = false }", anchor)
    link.click()
    assert _opened(session, f"{anchor} > details") and page.locator(f"{anchor} .pane").first.is_visible()
