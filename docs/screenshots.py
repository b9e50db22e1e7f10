"""Render the README's screenshots from the bundled fixtures: ``make screenshots``.

docs/diff.png     ``dupdetect diff`` of the famA template and its reordered copy, as a
                  terminal shows it (rich's HTML export drawn in a CJK monospace font)
docs/report.png   the same pair in the HTML report, after a click on passage 5
docs/report-family.png   family F1 in the HTML report: members, graph, template

Needs Debian's chromium, a CJK font (``make screenshots`` installs fonts-wqy-microhei; without one the
script stops rather than draw Chinese as empty boxes) and playwright.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright
from rich.cells import cell_len
from rich.console import Console
from rich.terminal_theme import MONOKAI

from dupdetect import scan
from dupdetect.read.ingest import iter_documents
from dupdetect.views.diff import render_diff
from dupdetect.views.html import write_html
from dupdetect.views.marks import document_texts, pair_view

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [str(ROOT / "fixtures" / "speeches")]
PAIR = ("famA-template-placeholders.txt", "famA-copy-edited-reordered.txt")
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Terminals draw every character on their cell grid; a browser uses each glyph's own width.
# Characters of East Asian width "ambiguous" (× “ ” ─ …) take one cell in rich, and two in the
# CJK font, so they are drawn in DejaVu Sans Mono shrunk to one cell (half the CJK font's em); so are
# ASCII letters and spaces, which a CJK font's Latin glyphs do not always draw at exactly half its em.
TERMINAL_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
@font-face{{font-family:"Cell";src:local("DejaVu Sans Mono");size-adjust:83%;
unicode-range:U+20-7E,U+A1-FF,U+2010-2027,U+2190-21FF,U+2500-259F,U+25A0-25FF}}
body{{margin:0;background:{background};color:{foreground}}}
pre,code{{margin:0;font-family:"Cell","Noto Sans Mono CJK SC","WenQuanYi Micro Hei Mono",monospace;
font-size:15px;line-height:{line}px}}
pre{{padding:{pad}px 18px}}
{stylesheet}</style></head><body><pre><code>{code}</code></pre></body></html>"""
LINE, PAD = 21, 14  # px per terminal line, px above the first
CUT = 24  # px of the band that marks rows left out


def terminal_html(width: int = 104) -> tuple[str, list[str]]:
    """The diff as rich records it for a truecolor terminal ``width`` cells wide, and its lines."""
    report = scan(CORPUS)
    texts = document_texts(report, iter_documents(CORPUS, on_warning=lambda w: None))
    console = Console(record=True, width=width, force_terminal=True, color_system="truecolor", file=_Null())
    console.print(render_diff(pair_view(report, texts, *PAIR)), highlight=False)
    lines = console.export_text(clear=False).splitlines()
    _check_cells(lines, width)
    page = TERMINAL_PAGE.replace("{line}", str(LINE)).replace("{pad}", str(PAD))
    return console.export_html(theme=MONOKAI, code_format=page, inline_styles=False), lines


class _Null:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None


def _check_cells(lines: list[str], width: int) -> None:
    wide = [line for line in lines if cell_len(line) > width]
    if wide:
        raise SystemExit(f"{len(wide)} lines wider than {width} cells")
    ambiguous = {ch for line in lines for ch in line if unicodedata.east_asian_width(ch) == "A"}
    print("ambiguous-width characters drawn narrow:", "".join(sorted(ambiguous)))


def shoot_terminal(page: Page, out: Path, work: Path) -> None:
    """The diff's header and first passage, then (after a cut) passages 4 to 6: the moved one among them."""
    page.set_viewport_size({"width": 840, "height": 1000})
    html, lines = terminal_html()
    html_path = work / "diff.html"
    html_path.write_text(html, encoding="utf-8")
    page.goto(html_path.as_uri())
    full = work / "diff-full.png"
    page.screenshot(path=str(full), full_page=True)
    top = _line_of(lines, "[2]")
    middle, end = _line_of(lines, "[4]"), _line_of(lines, "[6]")
    _stitch(full, out / "diff.png", [(0, PAD + top * LINE), (PAD + middle * LINE - 4, PAD + end * LINE)])


def _line_of(lines: list[str], marker: str) -> int:
    return next(i for i, line in enumerate(lines) if line.lstrip().startswith(marker))


def _stitch(source: Path, target: Path, bands: list[tuple[int, int]]) -> None:
    """Horizontal bands of an image one under the other, a dashed rule where rows were cut."""
    with Image.open(source) as image:
        width = image.width
        height = sum(b - a for a, b in bands) + CUT * (len(bands) - 1)
        out = Image.new("RGB", (width, height), image.getpixel((1, 1)))
        y = 0
        for i, (a, b) in enumerate(bands):
            if i:
                for x in range(18, width - 18, 12):
                    out.paste((150, 150, 150), (x, y + CUT // 2 - 1, x + 6, y + CUT // 2 + 1))
                y += CUT
            out.paste(image.crop((0, a, width, b)), (0, y))
            y += b - a
        _save_small(out, target)


def _save_small(image: Image.Image, target: Path) -> None:
    """Save as a palette PNG (screenshots of text need few colours; the README stays light)."""
    image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        target, optimize=True
    )


def _shot(page: Page, target: Path) -> None:
    raw = target.with_suffix(".raw.png")
    page.screenshot(path=str(raw))
    with Image.open(raw) as image:
        _save_small(image, target)
    raw.unlink()


def shoot_report(page: Page, out: Path, work: Path) -> None:
    report = scan(CORPUS)
    texts = document_texts(report, iter_documents(CORPUS, on_warning=lambda w: None))
    html_path = work / "report.html"
    write_html(report, texts, html_path)
    page.set_viewport_size({"width": 1280, "height": 860})
    page.goto(html_path.as_uri())
    page.fill("#find", "安全生产")  # the lists of documents and families, searched
    page.locator("#find").scroll_into_view_if_needed()
    page.evaluate(
        "(el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 20)",
        page.locator("#find").element_handle(),
    )
    page.wait_for_timeout(200)
    _shot(page, out / "report-lists.png")
    page.fill("#find", "")
    section = page.locator("section.pair", has=page.locator(".ids", has_text=f"{PAIR[0]} ↔ {PAIR[1]}"))
    section.locator("summary").first.click()
    section.scroll_into_view_if_needed()
    page.evaluate(
        "(el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 50)", section.element_handle()
    )
    section.locator("mark.p[data-peer$='-b-5']").first.click()
    page.wait_for_timeout(300)
    _shot(page, out / "report.png")
    page.goto(html_path.as_uri() + "#family-1")
    _shot(page, out / "report-family.png")


def cjk_fonts() -> list[str]:
    """The fonts fontconfig (which chromium asks) has for Chinese text; none when it is not installed."""
    try:
        found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    except OSError:
        return []
    return [line for line in found.stdout.splitlines() if line.strip()]


def main(out: Path) -> None:
    if not cjk_fonts():
        sys.exit(
            "screenshots: no CJK font, so Chinese would be drawn as empty boxes: apt-get install fonts-wqy-microhei"
        )
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(device_scale_factor=1)
        shoot_terminal(page, out, Path(tmp))
        shoot_report(page, out, Path(tmp))
        browser.close()
    for name in ("diff.png", "report.png", "report-family.png"):
        print(f"wrote {out / name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
