"""Which default moves the score: each one switched off or moved, on the labelled corpora.

    python benchmarks/ablation.py

Prints family-pair F1 (and precision/recall) and slot-fill recall on the
development corpus (benchmarks/realpages) and the seed excerpts, for the
defaults and for one change at a time. docs/ACCURACY.md keeps the table.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dupdetect import Config, scan  # noqa: E402
from dupdetect.model.evaluate import evaluate  # noqa: E402

CORPORA = {
    "realpages": (HERE / "realpages" / "corpus.jsonl", HERE / "realpages" / "labels.json"),
    "seeds": (HERE.parent / "fixtures" / "seeds", HERE.parent / "fixtures" / "seeds_labels.json"),
}
VARIANTS: dict[str, dict[str, dict[str, Any]]] = {
    "defaults": {},
    "no stock-phrase detection (stock_min_docs 10^9)": {"candidates": {"stock_min_docs": 10**9}},
    "the old count cap instead (max_df 50, 5 %)": {"candidates": {"stock_min_docs": 10**9, "max_df": 50}},
    "no star buckets (star_above 10^9: all pairs aligned)": {"candidates": {"star_above": 10**9}},
    "no implicit-slot share (implicit_min_share 0)": {"slots": {"implicit_min_share": 0.0}},
    "no placeholder canonicalisation": {"normalize": {"mask_placeholders": False}},
    "no Traditional folding (t2s)": {"normalize": {"t2s": False}},
    "no chrome removal": {"clean": {"chrome": False, "repeated_lines": False}},
    "no compilation splitting": {"clean": {"split": False}},
    "min passage 30 chars (default 50)": {"align": {"min_chars": 30}},
    "min passage 80 chars": {"align": {"min_chars": 80}},
    "family rule without verbatim run (min_run 0)": {"families": {"min_run": 0}},
    "no reworded-copy rule (reworded_coverage > 1)": {"families": {"reworded_coverage": 1.01}},
    "no excerpt rule (excerpt_coverage > 1)": {"families": {"excerpt_coverage": 1.01}},
    "no sentence anchors (sentence_anchor None)": {"candidates": {"sentence_anchor": None}},
    "family rule: min_coverage 0.1 (default 0.2)": {"families": {"min_coverage": 0.1}},
    "family rule: min_coverage 0.3": {"families": {"min_coverage": 0.3}},
    "LSH threshold 0.5 (default 0.3)": {"candidates": {"threshold": 0.5}},
}


def run() -> list[tuple[str, dict[str, dict[str, float]]]]:
    rows = []
    for name, overrides in VARIANTS.items():
        config = Config().with_overrides(**overrides)
        cells = {}
        for corpus, (path, labels_path) in CORPORA.items():
            result = evaluate(scan([str(path)], config=config), json.loads(labels_path.read_text(encoding="utf-8")))
            f = result.families
            cells[corpus] = {"p": f.precision, "r": f.recall, "f1": f.f1, "fill_r": result.fills.recall}
        rows.append((name, cells))
    return rows


def main() -> None:
    rows = run()
    print("| setting | realpages family P / R / F1 | realpages fill recall | seeds family F1 | seeds fill recall |")
    print("|---|---|---|---|---|")
    for name, cells in rows:
        rp, sd = cells["realpages"], cells["seeds"]
        print(
            f"| {name} | {rp['p']:.3f} / {rp['r']:.3f} / {rp['f1']:.3f} | {rp['fill_r']:.3f} "
            f"| {sd['f1']:.3f} | {sd['fill_r']:.3f} |"
        )


if __name__ == "__main__":
    main()
