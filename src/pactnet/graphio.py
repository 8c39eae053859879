"""Write network snapshots for Gephi and other tools (GraphML, GEXF)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = ["write_graph", "flat_graph"]


def flat_graph(g: Any) -> Any:
    """A copy of ``g`` fit for GraphML/GEXF, which hold scalars: lists joined with ``;``, ``None`` dropped."""
    h = g.copy()

    def flat(d: dict) -> None:
        for k, v in list(d.items()):
            if v is None:
                del d[k]
            elif isinstance(v, list | tuple | set):
                d[k] = ";".join(map(str, v))
            elif isinstance(v, dict):
                d[k] = str(v)

    flat(h.graph)
    for _, data in h.nodes(data=True):
        flat(data)
    for *_, data in h.edges(keys=True, data=True):
        flat(data)
    return h


def write_graph(g: Any, path: str | Path) -> None:
    """Write a snapshot as GraphML (``.graphml``) or GEXF (``.gexf``), chosen by the file's suffix."""
    import networkx as nx

    from .output import atomic_write

    path = Path(path)
    h = flat_graph(g)
    writers = {".graphml": nx.write_graphml, ".gexf": nx.write_gexf}
    if path.suffix not in writers:
        raise InputError(f"{path}: unknown graph format {path.suffix!r}; expected .graphml or .gexf", param="out")
    with atomic_write(path, binary=True) as fh:  # never over a store, never half-written
        writers[path.suffix](h, fh)
