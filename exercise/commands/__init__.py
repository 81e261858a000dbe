"""One module per command-line command; each exposes ``run(args) -> int``."""
