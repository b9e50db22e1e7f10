"""Files to decoded documents: folders, archives, JSONL, DOCX/PDF/HTML, encodings."""
