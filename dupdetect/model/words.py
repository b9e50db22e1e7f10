"""Counts in words: "1 pair", "2 pairs", "1 family", and a few names with "and N more"."""

from __future__ import annotations

from collections.abc import Sequence


def counted(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun that goes with it: ``counted(1, "pair")`` is ``1 pair``, ``counted(2, "family",
    "families")`` is ``2 families`` (``many`` defaults to ``one`` + "s")."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def some(names: Sequence[str], total: int | None = None, shown: int = 3) -> str:
    """The first ``shown`` of ``names`` and how many more there are of ``total`` (default: all ``names``):
    ``a, b, c and 4 more``."""
    rest = (len(names) if total is None else total) - min(shown, len(names))
    head = ", ".join(names[:shown])
    return f"{head} and {rest} more" if rest > 0 else head
