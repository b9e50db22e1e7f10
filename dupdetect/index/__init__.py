"""The saved index: a collection's LSH band keys and artifacts kept on disk, so a new speech is checked
against it without a rescan (``dupdetect index``, ``query``, ``add``: built in steps, see
docs/ARCHITECTURE.md)."""
