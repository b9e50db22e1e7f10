"""How stage work is run: in this process or on the local process pool."""
