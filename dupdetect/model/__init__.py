"""The typed values that cross stages: documents, passages, families, the report, config, errors."""
