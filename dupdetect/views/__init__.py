"""What a saved report looks like: terminal, files, diff, HTML."""
