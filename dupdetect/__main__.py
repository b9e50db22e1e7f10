"""``python -m dupdetect``."""

from dupdetect.cli import run

run()
