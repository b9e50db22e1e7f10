"""The public surface: __all__ is sorted, complete and importable."""

from __future__ import annotations

import dupdetect


def test_all_is_sorted_and_every_name_exists() -> None:
    assert dupdetect.__all__ == sorted(dupdetect.__all__)
    assert all(hasattr(dupdetect, name) for name in dupdetect.__all__)


def test_every_stage_the_readme_names_is_public() -> None:
    for name in ("scan", "detect", "clean_corpus", "normalize", "evaluate", "load_report", "write_outputs"):
        assert name in dupdetect.__all__


def test_every_public_name_is_documented_and_none_is_private() -> None:
    for name in dupdetect.__all__:
        assert not name.startswith("_"), name
        doc = getattr(dupdetect, name).__doc__
        assert doc and doc.strip(), f"{name} has no docstring"


def test_the_public_api_is_complete() -> None:
    """Every setting, every error, and every type a Report is made of, can be imported from the package."""
    import dataclasses
    import re

    from dupdetect.model import config, errors, types

    defined = {
        name
        for module in (config, errors)
        for name, obj in vars(module).items()
        if isinstance(obj, type) and obj.__module__ == module.__name__ and not name.startswith("_")
    }
    reached, todo = set(), ["Report"]
    while todo:
        cls = getattr(types, todo.pop())
        reached.add(cls.__name__)
        for f in dataclasses.fields(cls):
            for word in re.findall(r"[A-Z]\w+", str(f.type)):
                if word not in reached and dataclasses.is_dataclass(getattr(types, word, None)):
                    todo.append(word)
    missing = (defined | reached) - set(dupdetect.__all__)
    assert not missing, missing
