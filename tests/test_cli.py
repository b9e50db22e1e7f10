from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dupdetect.cli import app

runner = CliRunner()


def test_help_lists_scan() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "scan" in result.stdout


def test_scan_help_says_which_way_knobs_trade() -> None:
    result = runner.invoke(app, ["scan", "--help"])
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
    assert [w["source"].endswith("bad.txt") for w in data["warnings"]] == [True]
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
