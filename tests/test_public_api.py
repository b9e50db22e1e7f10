"""The public surface: __all__ is sorted, complete and importable."""

from __future__ import annotations

import dupdetect


def test_all_is_sorted_and_every_name_exists() -> None:
    assert dupdetect.__all__ == sorted(dupdetect.__all__)
    assert all(hasattr(dupdetect, name) for name in dupdetect.__all__)


def test_every_stage_the_readme_names_is_public() -> None:
    for name in ("scan", "detect", "clean_corpus", "normalize", "evaluate", "load_report", "write_outputs"):
        assert name in dupdetect.__all__
