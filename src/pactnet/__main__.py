"""``python -m pactnet``: the command line."""

from .cli import main

main()
