"""The index's catalogue: its documents, families and slots in one SQLite file, to list and search them.

Written once per generation (``gNNNNNN/catalog.sqlite``, in WAL mode, checkpointed and closed before the
manifest names the generation), then only read: opened read-only and immutable, it needs no lock, and a
reader of an older generation keeps reading its own file. ``dupdetect serve`` lists and searches the
families from it; the arrays a query reads stay the work folder's. Layout: docs/FORMATS.md.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dupdetect.model.types import Report

CATALOG = "catalog.sqlite"
SCHEMA = 1
_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, site TEXT NOT NULL, date TEXT NOT NULL, source TEXT NOT NULL,
  family TEXT, role TEXT, chars INTEGER NOT NULL, placeholders INTEGER NOT NULL, duplicate_of TEXT
);
CREATE INDEX documents_family ON documents (family);
CREATE TABLE families (
  id TEXT PRIMARY KEY, template TEXT, size INTEGER NOT NULL, mosaics INTEGER NOT NULL, slots INTEGER NOT NULL,
  title TEXT NOT NULL, site TEXT NOT NULL, date TEXT NOT NULL
);
CREATE TABLE members (family TEXT NOT NULL, doc TEXT NOT NULL, role TEXT, PRIMARY KEY (family, doc));
CREATE TABLE slots (
  family TEXT NOT NULL, slot INTEGER NOT NULL, kind TEXT NOT NULL, template_text TEXT NOT NULL,
  filled INTEGER NOT NULL, PRIMARY KEY (family, slot)
);
"""


@dataclass(frozen=True)
class FamilyRow:
    """A family as the catalogue lists it: its template's title, site and date stand for it."""

    id: str
    template: str | None
    size: int
    mosaics: int
    slots: int
    title: str
    site: str
    date: str


def write_catalog(folder: Path, report: Report, meta: Mapping[str, str]) -> Path:
    """``folder/catalog.sqlite`` made from a scan's report (replacing one a killed writer left)."""
    path = folder / CATALOG
    for leftover in (path, path.with_name(CATALOG + "-wal"), path.with_name(CATALOG + "-shm")):
        leftover.unlink(missing_ok=True)
    docs = {d.id: d for d in report.documents}
    filled: dict[tuple[str, int], int] = {}
    slot_counts: dict[str, int] = {}
    for s in report.slots:
        filled[(s.family, s.slot)] = sum(1 for v in s.fills.values() if v is not None)
        slot_counts[s.family] = slot_counts.get(s.family, 0) + 1
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(_TABLES)
        with db:
            db.executemany("INSERT INTO meta VALUES (?, ?)", sorted({**meta, "schema": str(SCHEMA)}.items()))
            db.executemany(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (d.id, d.title, d.site, d.date, d.source, d.family, d.role, d.chars, d.placeholders, d.duplicate_of)
                    for d in report.documents
                ),
            )
            rows = []
            for f in report.families:
                head = docs.get(f.template or f.members[0])
                mosaics = sum(1 for r in f.roles.values() if r == "mosaic")
                title, site, date = (head.title, head.site, head.date) if head else ("", "", "")
                rows.append((f.id, f.template, len(f.members), mosaics, slot_counts.get(f.id, 0), title, site, date))
            db.executemany("INSERT INTO families VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            db.executemany(
                "INSERT INTO members VALUES (?, ?, ?)",
                ((f.id, m, f.roles.get(m)) for f in report.families for m in f.members),
            )
            db.executemany(
                "INSERT INTO slots VALUES (?, ?, ?, ?, ?)",
                ((s.family, s.slot, s.kind, s.template_text, filled[(s.family, s.slot)]) for s in report.slots),
            )
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")  # (one self-contained file, read immutable)
    return path


class Catalog:
    """A generation's catalogue, opened read-only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        schema = self.meta().get("schema")
        if schema != str(SCHEMA):
            self.db.close()
            raise ValueError(f"{path}: a catalogue of schema {schema}, not {SCHEMA}")

    def close(self) -> None:
        self.db.close()

    def meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self.db.execute("SELECT key, value FROM meta")}

    def families(self, search: str = "", *, limit: int = 200, offset: int = 0) -> tuple[list[FamilyRow], int]:
        """The families whose id, template, title or site hold ``search`` (all when empty), the biggest first:
        ``limit`` of them from ``offset``, and how many there are."""
        where, args = "", []
        if search:
            like = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where = " WHERE " + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in ("id", "template", "title", "site"))
            args = [like] * 4
        total = int(self.db.execute(f"SELECT count(*) FROM families{where}", args).fetchone()[0])
        rows = self.db.execute(
            f"SELECT * FROM families{where} ORDER BY size DESC, id LIMIT ? OFFSET ?", [*args, limit, offset]
        )
        return [FamilyRow(**dict(r)) for r in rows], total

    def family(self, family_id: str) -> FamilyRow | None:
        row = self.db.execute("SELECT * FROM families WHERE id = ?", (family_id,)).fetchone()
        return FamilyRow(**dict(row)) if row else None

    def members(self, family_id: str) -> Iterator[dict[str, Any]]:
        """The family's documents (template first, then by id): id, title, site, date, role (in this family), chars."""
        rows = self.db.execute(
            "SELECT d.id, d.title, d.site, d.date, m.role, d.chars FROM members m JOIN documents d ON d.id = m.doc "
            "WHERE m.family = ? ORDER BY m.role IS NOT 'template', d.id",
            (family_id,),
        )
        return (dict(r) for r in rows)
