"""The command line of the docs generators: ``python docs/gen_X.py`` writes the page, ``--stdout`` prints it
(the tests compare that with the page in the repository)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


def main(render: Callable[[], str], out: Path) -> None:
    if "--stdout" in sys.argv:
        sys.stdout.write(render())
    else:
        out.write_text(render(), encoding="utf-8")
        print(f"wrote {out}")
