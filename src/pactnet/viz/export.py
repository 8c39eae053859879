"""Static images (PNG, SVG, PDF) of the Plotly figures through kaleido and the system's Chromium, offline.

kaleido drives a headless Chromium. Left alone it fetches the map outlines and MathJax from CDNs and Chromium calls
home, so this module points plotly at the vendored world outlines and a local MathJax stub, and launches Chromium
through a small wrapper that adds the guard flags: no host name resolves except 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

from ..errors import PactnetError

__all__ = ["GUARD_FLAGS", "ASSETS", "find_chromium", "write_figures", "FORMATS"]

#: Flags for every Chromium this project starts: nothing resolves but loopback, no background traffic.
GUARD_FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pings",
    "--disable-domain-reliability",
)
ASSETS = Path(__file__).resolve().parent.parent / "web" / "assets"
FORMATS = ("png", "svg", "pdf")


def find_chromium() -> str | None:
    """The Chromium to use: ``$PACTNET_CHROMIUM``, else ``chromium`` (Debian) or ``chromium-browser`` on the PATH."""
    env = os.environ.get("PACTNET_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _wrapper(chromium: str, folder: Path) -> Path:
    script = folder / "chromium-guarded"
    flags = " ".join(f"'{f}'" for f in GUARD_FLAGS)
    script.write_text(f"#!/bin/sh\nexec '{chromium}' {flags} \"$@\"\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script


def write_figures(figures: list[tuple[Any, str | Path]], *, width: int = 1100, height: int = 650,
                  scale: float = 1.0) -> list[Path]:
    """Write each ``(figure, path)``; the format follows the path's suffix (.png, .svg or .pdf).

    Raises :class:`~pactnet.errors.PactnetError` if no Chromium is found or a suffix is not supported.
    """
    outs = []
    for _, path in figures:
        suffix = Path(path).suffix.lower().lstrip(".")
        if suffix not in FORMATS:
            raise PactnetError(f"out: cannot write {Path(path).name!r}; expected a .png, .svg or .pdf file name")
        outs.append(Path(path))
    chromium = find_chromium()
    if chromium is None:
        raise PactnetError("static figures need Chromium (Debian: apt-get install chromium; or set "
                           "PACTNET_CHROMIUM to its path)")
    try:
        import kaleido
        import plotly.io as pio
    except ModuleNotFoundError as exc:
        raise PactnetError(f"static figures need the web extra ({exc.name} is missing): "
                           "pip install 'pactnet[web]'") from exc
    pio.defaults.topojson = (ASSETS / "topojson").as_uri() + "/"
    pio.defaults.mathjax = str(ASSETS / "mathjax_stub.js")
    with tempfile.TemporaryDirectory(prefix="pactnet-kaleido-") as tmp:
        old = os.environ.get("BROWSER_PATH")
        os.environ["BROWSER_PATH"] = str(_wrapper(chromium, Path(tmp)))
        try:
            for out in outs:
                out.parent.mkdir(parents=True, exist_ok=True)
            pio.write_images([f for f, _ in figures], [str(o) for o in outs], width=width, height=height,
                             scale=scale)
        except Exception as exc:  # kaleido raises its own error types, and OSError on unwritable paths
            raise PactnetError(f"could not write {', '.join(o.name for o in outs)}: {exc}") from exc
        finally:
            if old is None:
                os.environ.pop("BROWSER_PATH", None)
            else:
                os.environ["BROWSER_PATH"] = old
    del kaleido
    return outs
