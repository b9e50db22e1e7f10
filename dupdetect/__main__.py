"""``python -m dupdetect``."""

from dupdetect.cli import run

if __name__ == "__main__":  # (a worker process started by spawn imports this module again: it must not run)
    run()
