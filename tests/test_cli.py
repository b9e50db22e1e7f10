from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dupdetect.cli import app

runner = CliRunner()


def test_help_lists_scan() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "scan" in result.stdout


def test_scan_help_says_which_way_knobs_trade() -> None:
    result = runner.invoke(app, ["scan", "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert "more recall" in result.stdout


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("dupdetect ")


def test_json_on_stdout_parses_and_holds_the_families(speeches_dir: Path) -> None:
    result = runner.invoke(app, ["scan", str(speeches_dir), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["families"] and data["schema_version"] == 1


def test_table_output_shows_families(speeches_dir: Path) -> None:
    result = runner.invoke(app, ["scan", str(speeches_dir)], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "Template families" in result.stdout and "template" in result.stdout


def test_out_writes_report_and_graph(speeches_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(speeches_dir), "--out", str(tmp_path / "out"), "--format", "json"])
    assert result.exit_code == 0
    assert (tmp_path / "out" / "report.json").is_file() and (tmp_path / "out" / "families.graphml").is_file()
    assert json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8")) == json.loads(result.stdout)


def test_the_table_is_shown_while_workers_write_the_files(speeches_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(speeches_dir), "--out", str(tmp_path / "out"), "--jobs", "2"])
    assert result.exit_code == 0 and "Template families" in result.stdout
    assert f"wrote {tmp_path / 'out' / 'report.json'}" in " ".join(result.stderr.split())
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["families"] and all(f["id"] in result.stdout for f in report["families"])


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_failed_file_write_prints_no_report(speeches_dir: Path, tmp_path: Path, jobs: str, fmt: str) -> None:
    (tmp_path / "out" / "report.json").mkdir(parents=True)  # report.json cannot be written
    result = runner.invoke(app, ["scan", str(speeches_dir), "--out", str(tmp_path / "out"), "-f", fmt, "--jobs", jobs])
    assert result.exit_code == 1 and result.stdout == "" and "report.json" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_reader_that_went_away_ends_the_run_quietly_after_the_files_are_written(
    speeches_dir: Path, tmp_path: Path, jobs: str
) -> None:
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    os.close(read)  # as `| head` does once it has read enough
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "dupdetect",
                "scan",
                str(speeches_dir),
                "--out",
                str(tmp_path / "o"),
                "-q",
                "--jobs",
                jobs,
            ],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        os.close(write)
    assert done.returncode == 1 and "error" not in done.stderr and "Traceback" not in done.stderr
    assert all(
        (tmp_path / "o" / name).is_file() for name in ("report.json", "families.graphml", "families-directed.graphml")
    )


def test_missing_path_is_a_usage_error() -> None:
    result = runner.invoke(app, ["scan", "/no/such/folder"])
    assert result.exit_code == 2


def test_bad_option_value_is_a_usage_error(speeches_dir: Path) -> None:
    result = runner.invoke(app, ["scan", str(speeches_dir), "--threshold", "7"])
    assert result.exit_code == 2


def test_skipped_input_exits_3_names_the_file_on_stderr_and_keeps_stdout_json(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("今天我们召开全市安全生产工作会议。", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary\x00")
    result = runner.invoke(app, ["scan", str(tmp_path), "--format", "json"])
    assert result.exit_code == 3
    assert "bad.txt" in result.stderr and "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert [w["source"].endswith("bad.txt") for w in data["warnings"] if w["source"] != "(corpus)"] == [True]
    assert [d["id"] for d in data["documents"]] == ["good.txt"]


def test_text_and_id_fields_select_jsonl_keys(tmp_path: Path) -> None:
    body = "今天我们召开全市安全生产工作会议,主要任务是总结去年工作,分析当前形势,部署今年任务。" * 3
    lines = [json.dumps({"key": k, "content": body}, ensure_ascii=False) for k in ("a", "b")]
    (tmp_path / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(app, ["scan", str(tmp_path), "-f", "json", "--text-field", "content", "--id-field", "key"])
    assert result.exit_code == 0, result.stderr
    assert [d["id"] for d in json.loads(result.stdout)["documents"]] == ["a", "b"]


def test_keep_chrome_matches_page_chrome_too(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("版权所有:青禾范文网\n今天开会。", encoding="utf-8")
    kept = json.loads(runner.invoke(app, ["scan", str(tmp_path), "-f", "json", "--keep-chrome"]).stdout)
    cleaned = json.loads(runner.invoke(app, ["scan", str(tmp_path), "-f", "json"]).stdout)
    assert kept["documents"][0]["removed"] == {} and cleaned["documents"][0]["removed"] == {"footer": 1}


def test_slots_and_template_commands_read_a_saved_report(speeches_dir: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["scan", str(speeches_dir), "-o", str(tmp_path), "-q"]).exit_code == 0
    saved = str(tmp_path / "report.json")
    slots = runner.invoke(app, ["slots", saved, "--family", "F1", "-f", "json"])
    assert slots.exit_code == 0, slots.stderr
    data = json.loads(slots.stdout)
    assert data and {s["family"] for s in data} == {"F1"}
    assert any(s["fills"].get("famA-copy-filled.txt") == "绥化" for s in data)
    template = runner.invoke(app, ["template", "F1", saved], env={"COLUMNS": "120"})
    assert template.exit_code == 0 and "{1}" in template.stdout and "绥化" in template.stdout


def test_slots_command_scans_a_corpus_too(speeches_dir: Path) -> None:
    result = runner.invoke(app, ["slots", str(speeches_dir)], env={"COLUMNS": "160"})
    assert result.exit_code == 0 and "slots of famA-template-placeholders.txt" in result.stdout


def test_unknown_family_is_a_usage_error(speeches_dir: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["scan", str(speeches_dir), "-o", str(tmp_path), "-q"])
    result = runner.invoke(app, ["template", "F99", str(tmp_path / "report.json")])
    assert result.exit_code == 2 and "F99" in result.stderr


def test_a_file_over_max_file_size_is_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("安" * 4000, encoding="utf-8")
    (tmp_path / "small.txt").write_text("今天开会。", encoding="utf-8")
    result = runner.invoke(app, ["scan", str(tmp_path), "-f", "json", "--max-file-size", "0.005"])
    assert result.exit_code == 3
    assert [d["id"] for d in json.loads(result.stdout)["documents"]] == ["small.txt"]
    assert "big.txt" in result.stderr and "max-file-size" in result.stderr


# --------------------------------------------------------------------------
# views: diff, families, pairs, report, export graph

VIEWS = Path(__file__).resolve().parent.parent / "fixtures" / "views" / "inject"


def _saved(speeches_dir: Path, tmp_path: Path) -> str:
    assert runner.invoke(app, ["scan", str(speeches_dir), "-o", str(tmp_path), "-q"]).exit_code == 0
    return str(tmp_path / "report.json")


def test_diff_of_two_files_pairs_their_passages() -> None:
    a, b = str(VIEWS / "inject-template.txt"), str(VIEWS / "inject-copy.txt")
    result = runner.invoke(app, ["diff", a, b], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout  # not a terminal: plain
    assert result.stdout.count("[1]") == 2 and "moved: 2nd in B" in result.stdout
    assert "<script>alert(1)</script>" in result.stdout


def test_diff_names_documents_of_a_saved_report(speeches_dir: Path, tmp_path: Path) -> None:
    saved = _saved(speeches_dir, tmp_path)
    args = ["diff", "famA-template-placeholders.txt", "edited-reordered.txt", "--in", saved]
    result = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    assert all(result.stdout.count(f"[{n}]") == 2 for n in range(1, 7))
    assert max(len(line) for line in result.stdout.splitlines()) <= 80 * 2


def test_diff_with_no_color_in_a_terminal_keeps_reverse_and_underline(speeches_dir: Path, tmp_path: Path) -> None:
    saved = _saved(speeches_dir, tmp_path)
    args = ["diff", "famA-template-placeholders.txt", "famA-copy-filled.txt", "-i", saved]
    result = runner.invoke(app, args, env={"COLUMNS": "120", "FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    assert "\x1b[" in result.stdout and "\x1b[4m" in result.stdout
    assert "38;2;" not in result.stdout and "48;2;" not in result.stdout and "48;5;" not in result.stdout


def test_diff_of_an_unknown_document_is_a_usage_error_with_suggestions(speeches_dir: Path, tmp_path: Path) -> None:
    saved = _saved(speeches_dir, tmp_path)
    result = runner.invoke(app, ["diff", "famA-template", "famB-template.txt", "--in", saved])
    assert result.exit_code == 2 and "did you mean" in result.stderr and "Traceback" not in result.stderr
    missing = runner.invoke(app, ["diff", "no-such-a.txt", "no-such-b.txt"])
    assert missing.exit_code == 2 and "--in" in missing.stderr


def test_diff_of_a_report_whose_sources_moved_says_so(speeches_dir: Path, tmp_path: Path) -> None:
    saved = _saved(speeches_dir, tmp_path)
    text = Path(saved).read_text(encoding="utf-8").replace(str(speeches_dir), "/gone")
    text = text.replace('"fixtures/speeches/', '"/gone/')
    Path(saved).write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["diff", "famB-template.txt", "famB-copy-big5.txt", "--in", saved])
    error = " ".join(result.stderr.split())
    assert result.exit_code == 1 and "cannot find the texts the report was made from (/gone/" in error
    assert "--root" in error and "Traceback" not in result.stderr


def test_families_and_pairs_as_json_and_table(speeches_dir: Path, tmp_path: Path) -> None:
    saved = _saved(speeches_dir, tmp_path)
    fams = runner.invoke(app, ["families", saved, "-f", "json"])
    assert fams.exit_code == 0 and {r["family"] for r in json.loads(fams.stdout)} == {"F1", "F2", "F3", "F4"}
    pairs = runner.invoke(app, ["pairs", saved, "-f", "json"])
    assert pairs.exit_code == 0 and len(json.loads(pairs.stdout)) == 25
    table = runner.invoke(app, ["pairs", saved], env={"COLUMNS": "160"})
    assert table.exit_code == 0 and "famA-copy-filled.txt" in table.stdout
    fam_table = runner.invoke(app, ["families", str(speeches_dir)], env={"COLUMNS": "160"})
    assert fam_table.exit_code == 0 and "Template families" in fam_table.stdout


def test_csv_is_utf8_with_bom_and_neutralises_formulas(tmp_path: Path) -> None:
    body = "今天我们召开全市安全生产工作会议,主要任务是总结去年工作,分析当前形势,部署今年任务。" * 4
    (tmp_path / "=cmd.txt").write_text(f"@SUM(A1) 标题\n{body}", encoding="utf-8")
    (tmp_path / "-2+3.txt").write_text(f"标题\n{body}", encoding="utf-8")
    saved = tmp_path / "out"
    assert runner.invoke(app, ["scan", str(tmp_path), "-o", str(saved), "-q"]).exit_code == 0
    result = runner.invoke(app, ["families", str(saved / "report.json"), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbffamily,size,slots,template,member,title,site,date,role,reused\r\n")
    text = raw.decode("utf-8")
    assert "'=cmd.txt" in text and "'@SUM(A1) 标题" in text and "'-2+3" in text
    assert ",=cmd" not in text and ",@SUM" not in text and ",-2+3" not in text


def test_report_writes_one_html_file_from_a_saved_report(speeches_dir: Path, tmp_path: Path) -> None:
    saved = _saved(speeches_dir, tmp_path)
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", saved, "--out", str(out), "--max-pairs", "5", "--min-chars", "100"])
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count('<section class="pair"') == 5 and 'value="100"' in page
    assert "The text is not available" not in page and str(out) in result.stderr


def test_scan_html_writes_the_same_page_as_report(speeches_dir: Path, tmp_path: Path) -> None:
    html = tmp_path / "scan.html"
    result = runner.invoke(app, ["scan", str(speeches_dir), "-o", str(tmp_path), "--html", str(html), "-q"])
    assert result.exit_code == 0
    again = tmp_path / "again.html"
    assert runner.invoke(app, ["report", str(tmp_path / "report.json"), "-o", str(again)]).exit_code == 0
    assert html.read_bytes() == again.read_bytes()


def test_report_needs_an_out_file(speeches_dir: Path) -> None:
    result = runner.invoke(app, ["report", str(speeches_dir)])
    assert result.exit_code == 2


def test_report_from_elsewhere_finds_the_sources_with_root(
    speeches_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = _saved(speeches_dir, tmp_path)
    root = Path.cwd()
    monkeypatch.chdir(tmp_path)
    lost = runner.invoke(app, ["report", saved, "-o", "lost.html"])
    if str(speeches_dir).startswith("/"):  # an absolute scan path is found from anywhere
        assert lost.exit_code == 0
    found = runner.invoke(app, ["report", saved, "-o", "found.html", "--root", str(root)])
    assert found.exit_code == 0 and "The text is not available" not in (tmp_path / "found.html").read_text("utf-8")


def test_views_of_a_relative_scan_run_from_any_folder(
    speeches_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(speeches_dir, tmp_path / "work" / "corpus")
    monkeypatch.chdir(tmp_path / "work")
    assert runner.invoke(app, ["scan", "corpus", "-o", "out", "-q"]).exit_code == 0
    saved = str(tmp_path / "work" / "out" / "report.json")
    monkeypatch.chdir(tmp_path)
    html = runner.invoke(app, ["report", saved, "-o", "r.html"])
    assert html.exit_code == 0 and "The text is not available" not in (tmp_path / "r.html").read_text("utf-8")
    diff = runner.invoke(app, ["diff", "famA-template-placeholders.txt", "famA-copy-filled.txt", "--in", saved])
    assert diff.exit_code == 0 and "[1]" in diff.stdout
    template = runner.invoke(app, ["template", "F1", saved])
    assert template.exit_code == 0, template.stderr
    (tmp_path / "work").rename(tmp_path / "elsewhere")
    saved = str(tmp_path / "elsewhere" / "out" / "report.json")
    lost = runner.invoke(app, ["report", saved, "-o", "lost.html"])
    assert lost.exit_code == 1 and "--root" in lost.stderr and str(tmp_path / "work") in " ".join(lost.stderr.split())
    found = runner.invoke(app, ["report", saved, "-o", "found.html", "--root", str(tmp_path / "elsewhere")])
    assert found.exit_code == 0


def test_export_graph_graphml_and_gexf(speeches_dir: Path, tmp_path: Path) -> None:
    saved = _saved(speeches_dir, tmp_path)
    graphml = runner.invoke(app, ["export", "graph", saved])
    assert graphml.exit_code == 0 and graphml.stdout_bytes == (tmp_path / "families.graphml").read_bytes()
    directed = runner.invoke(app, ["export", "graph", saved, "--directed"])
    assert directed.stdout_bytes == (tmp_path / "families-directed.graphml").read_bytes()
    out = tmp_path / "g.gexf"
    gexf = runner.invoke(app, ["export", "graph", saved, "--format", "gexf", "--out", str(out)])
    assert gexf.exit_code == 0 and out.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert b"viz:color" in out.read_bytes()
    bad = runner.invoke(app, ["export", "graph", saved, "--format", "dot"])
    assert bad.exit_code == 2


def test_every_new_command_has_help() -> None:
    for args in (["diff"], ["families"], ["pairs"], ["report"], ["export", "graph"]):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0 and "Usage" in result.stdout


def test_evaluate_scores_a_saved_report(speeches_dir: Path, tmp_path: Path) -> None:
    expected = json.loads((speeches_dir.parent / "expected.json").read_text(encoding="utf-8"))
    labels = {
        "families": {f"G{i}": members for i, members in enumerate(expected["families"], start=1)},
        "singletons": expected["singletons"],
        "slots": json.loads((speeches_dir.parent / "expected_slots.json").read_text(encoding="utf-8"))["slots"],
    }
    (tmp_path / "labels.json").write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(app, ["scan", str(speeches_dir), "-o", str(tmp_path / "out"), "-q"]).exit_code == 0
    result = runner.invoke(
        app, ["evaluate", str(tmp_path / "out" / "report.json"), str(tmp_path / "labels.json"), "-f", "json"]
    )
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["families"]["f1"] == 1.0
    assert scores["fills"]["recall"] >= 0.9
    table = runner.invoke(app, ["evaluate", str(tmp_path / "out" / "report.json"), str(tmp_path / "labels.json")])
    assert table.exit_code == 0 and "family pairs" in table.stdout


def test_evaluate_rejects_labels_that_are_not_json(tmp_path: Path, speeches_dir: Path) -> None:
    runner.invoke(app, ["scan", str(speeches_dir), "-o", str(tmp_path / "out"), "-q"])
    (tmp_path / "labels.json").write_text("{oops", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(tmp_path / "out" / "report.json"), str(tmp_path / "labels.json")])
    assert result.exit_code == 2 and "labels" in result.stderr and "Traceback" not in result.stderr


def test_evaluate_refuses_a_report_or_the_fixtures_listing_as_labels_in_one_line(
    tmp_path: Path, speeches_dir: Path
) -> None:
    runner.invoke(app, ["scan", str(speeches_dir), "-o", str(tmp_path / "out"), "-q"])
    report = str(tmp_path / "out" / "report.json")
    for labels, said in (
        (report, "this is a report.json, not labels"),  # (the report given twice: was a KeyError)
        (str(speeches_dir.parent / "expected.json"), "not a labels field: mosaics, templates"),
    ):
        result = runner.invoke(app, ["evaluate", report, labels])
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 2 and len(lines) == 1 and said in lines[0], result.stderr
        assert "Traceback" not in result.output and "internal error" not in result.output


def test_evaluate_warns_when_no_labelled_document_is_in_the_report(tmp_path: Path, speeches_dir: Path) -> None:
    runner.invoke(app, ["scan", str(speeches_dir), "-o", str(tmp_path / "out"), "-q"])
    (tmp_path / "labels.json").write_text(json.dumps({"families": {"G1": ["x", "y"]}}), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(tmp_path / "out" / "report.json"), str(tmp_path / "labels.json")])
    assert result.exit_code == 0
    assert "none of the 2 documents labels.json names is in report.json" in " ".join(result.stderr.split())


def test_jobs_do_not_change_the_report(speeches_dir: Path) -> None:
    one = runner.invoke(app, ["scan", str(speeches_dir), "-f", "json", "--jobs", "1"])
    two = runner.invoke(app, ["scan", str(speeches_dir), "-f", "json", "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0 and one.stdout == two.stdout


def test_hidden_and_unsupported_files_are_counted_and_listed_with_verbose(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("今天我们召开全市安全生产工作会议。", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    (tmp_path / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    quiet = runner.invoke(app, ["scan", str(tmp_path), "-f", "json"])
    counts = json.loads(quiet.stdout)["counts"]
    assert counts["skipped_hidden"] == 1 and counts["skipped_unsupported"] == 1
    loud = runner.invoke(app, ["scan", str(tmp_path), "-f", "json", "--verbose"])
    assert ".hidden.txt" in loud.stderr and "sheet.xlsx" in loud.stderr


@pytest.mark.parametrize(
    ("code", "status", "stderr"), [("None", 0, ""), ("3", 3, ""), ("'no such corpus'", 1, "no such corpus\n")]
)
def test_the_entry_point_leaves_with_sys_exit_status_and_flushed_output(code: str, status: int, stderr: str) -> None:
    import subprocess
    import sys

    script = f"import sys; from dupdetect.cli import _leave; print('report', end=''); _leave({code})"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (status, "report", stderr)


def test_the_entry_point_fails_when_its_output_cannot_be_written() -> None:
    import os
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # keep the report in the buffer
    script = "from dupdetect.cli import _leave; print('report', end=''); _leave(None)"
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-c", script], stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=60
        )
    assert done.returncode == 120 and "could not write the output" in done.stderr


def test_a_scan_that_reads_nothing_says_so_and_fails(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(b"\x89PNG\r\n")
    for args, said in (
        (["scan", str(tmp_path / "empty")], "nothing readable: no document was read from"),
        (["scan", str(tmp_path / "images")], "left out: 1 unsupported file;"),
        (["report", "/dev/null", "--out", str(tmp_path / "x.html")], "/dev/null: not a regular file"),
    ):
        result = runner.invoke(app, args)
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 1 and said in lines[-1] and "Traceback" not in result.output, result.output
        assert "dupdetect reads .txt, .md, .html" in lines[-1]
    assert not (tmp_path / "x.html").exists()


def test_outputs_are_checked_and_their_folders_made_before_the_corpus_is_read(
    tmp_path: Path, speeches_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dupdetect import cli

    (tmp_path / "taken.json").write_text("{}", encoding="utf-8")

    def unread(*args: object, **kwargs: object) -> object:
        raise AssertionError("the corpus was read before the outputs were checked")

    with monkeypatch.context() as patched:
        patched.setattr(cli, "iter_documents", unread)
        for args, said in (
            (["--out", str(tmp_path / "taken.json")], "--out " + str(tmp_path / "taken.json") + ": that is a file"),
            (["--html", str(tmp_path / "taken.json" / "r.html")], "cannot make its folder (a file is in the way)"),
        ):
            result = runner.invoke(app, ["scan", str(speeches_dir), *args])
            assert result.exit_code == 2 and said in " ".join(result.stderr.split()), result.output
            assert "Errno" not in result.output and "Traceback" not in result.output
    deep = tmp_path / "new" / "sub" / "r.html"  # (folders made as --out makes its own)
    result = runner.invoke(app, ["scan", str(speeches_dir), "--html", str(deep), "-q"])
    assert result.exit_code == 0 and deep.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_counts_are_in_words_and_short_documents_are_named(tmp_path: Path, speeches_dir: Path) -> None:
    summary = runner.invoke(app, ["scan", str(speeches_dir)]).stdout
    assert " 1 mosaic," in " ".join(summary.split()) and "1 mosaics" not in summary  # (the fixtures hold one)
    (tmp_path / "short-one.txt").write_text("关于召开会议的通知。", encoding="utf-8")
    (tmp_path / "long.txt").write_text("今天我们召开全市安全生产工作会议，" * 20, encoding="utf-8")
    result = runner.invoke(app, ["scan", str(tmp_path)])
    said = " ".join(result.stderr.split())
    assert "1 document (short-one.txt) holds fewer than 50 characters" in said, said


def test_diff_names_the_documents_a_short_name_matches(tmp_path: Path, speeches_dir: Path) -> None:
    runner.invoke(app, ["scan", str(speeches_dir), "-o", str(tmp_path / "out"), "-q"])
    report = str(tmp_path / "out" / "report.json")
    result = runner.invoke(app, ["diff", ".txt", "famA-copy-filled.txt", "--in", report])
    said = " ".join(result.stderr.split())
    assert result.exit_code == 2 and "18 documents match '.txt': en-copy-filled.txt," in said, said
    assert "and 15 more; give more of the id" in said
