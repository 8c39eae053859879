"""Network measures on the snapshot graph: degree by commitment level, betweenness and brokerage
(briefing L37: Pakistan as a "primary power broker")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl

from .. import schema as S
from ._frame import Inputs
from .weights import Weights

__all__ = ["degree_by_level", "brokerage", "NETWORK_COLUMNS"]

#: The columns the network measures add to the indicator frame.
NETWORK_COLUMNS = tuple(f"degree_{lvl}" for lvl in S.LEVELS) + ("betweenness", "effective_size")


def degree_by_level(d: pl.DataFrame, patron: str, inputs: Inputs, dates: Sequence[dt.date],
                    w: Weights) -> pl.DataFrame:
    r"""Degree by commitment level: how many ties of each level an actor holds with anyone.

    .. math::

        \deg_\ell(p, y) = |\{t \ni p : t \text{ active at } y,\ \operatorname{level}(t) = \ell\}|

    Returns
    -------
    polars.DataFrame
        ``date, actor, degree_guarantee, degree_assurance, degree_structured, degree_ad_hoc,
        degree_transactional, degree_hostile`` (counts; ties through an alliance organisation count once per
        fellow member, an organisation's membership itself counts once).
    """
    out = d.group_by("date", pl.col("a").alias("actor")).agg(
        *[(pl.col("rank") == rank).sum().cast(pl.Int32).alias(f"degree_{lvl}") for lvl, rank in S.LEVEL_RANK.items()])
    return out


def brokerage(d: pl.DataFrame, patron: str, inputs: Inputs, dates: Sequence[dt.date], w: Weights) -> pl.DataFrame:
    r"""Betweenness centrality and Burt's effective size on each date's snapshot graph.

    The graph is undirected and simple: a node per actor, an edge where any tie (cooperative or hostile)
    is active; agencies stand for their states (the ISI for Pakistan).

    .. math::

        c_B(v) = \sum_{s \ne v \ne t} \frac{\sigma(s, t \mid v)}{\sigma(s, t)}, \qquad
        \operatorname{ES}(v) = n(v) - \frac{2\,t(v)}{n(v)}

    with :math:`\sigma(s, t)` the number of shortest paths from :math:`s` to :math:`t` and
    :math:`\sigma(s, t \mid v)` those through :math:`v` (normalised by :math:`(n - 1)(n - 2) / 2`), and for
    Burt's effective size :math:`n(v)` the number of neighbours and :math:`t(v)` the ties among them.

    Returns
    -------
    polars.DataFrame
        ``date, actor, betweenness, effective_size``.

    Notes
    -----
    Computed once per distinct graph (consecutive years with the same edges share one computation), by
    Brandes' algorithm over all sources at once in numpy; the tests check it against networkx.

    References
    ----------
    .. [1] Freeman, L. C. (1977). A set of measures of centrality based on betweenness. Sociometry 40, 35-41.
    .. [2] Burt, R. S. (1992). Structural Holes. Harvard University Press.
    """
    edges = d.filter(pl.col("out")).select("date", pl.min_horizontal("a", "b").alias("u"),
                                          pl.max_horizontal("a", "b").alias("v"))
    names = pl.concat([edges["u"], edges["v"]]).unique().sort()
    code = {n: i for i, n in enumerate(names.to_list())}
    coded = (edges.with_columns(pl.col("u").replace_strict(code, return_dtype=pl.Int64),
                                pl.col("v").replace_strict(code, return_dtype=pl.Int64))
             .unique().sort("date", "u", "v"))
    days = coded["date"].to_numpy()
    uv = coded.select("u", "v").to_numpy()
    bounds = np.flatnonzero(days[1:] != days[:-1]) + 1
    names_arr = np.array(names.to_list(), dtype=object)
    cache: dict[bytes, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    sparse = len(bounds) >= _SCIPY_FROM  # importing scipy costs more than it saves on a few graphs
    out_days, out_nodes, out_bc, out_es = [], [], [], []
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(days)], strict=True):
        if hi <= lo:
            continue
        part = uv[lo:hi]
        key = part.tobytes()
        if key not in cache:
            nodes, local = np.unique(part, return_inverse=True)
            g = _Graph(len(nodes), local.reshape(part.shape), sparse=sparse)
            cache[key] = (nodes, _betweenness(g), _effective_size(g))
        nodes, bc, es = cache[key]
        out_days.append(np.repeat(days[lo], len(nodes)))
        out_nodes.append(names_arr[nodes])
        out_bc.append(bc)
        out_es.append(es)
    schema = {"date": pl.Date, "actor": pl.Utf8, "betweenness": pl.Float64, "effective_size": pl.Float64}
    if not out_days:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame({"date": np.concatenate(out_days), "actor": np.concatenate(out_nodes).tolist(),
                         "betweenness": np.concatenate(out_bc), "effective_size": np.concatenate(out_es)},
                        schema=schema)


#: From how many dates on the graphs use scipy's sparse products (when scipy is installed).
_SCIPY_FROM = 8


class _Graph:
    """An undirected graph as arrays, for ``A @ x`` products: a scipy sparse matrix when scipy is installed
    (the ``models`` extra), else a numpy reduction over the edge list. Neither uses BLAS threads, which made
    dense products slow and erratic on a busy machine."""

    def __init__(self, n: int, ij: np.ndarray, *, sparse: bool = True) -> None:
        src = np.concatenate([ij[:, 0], ij[:, 1]])
        dst = np.concatenate([ij[:, 1], ij[:, 0]])
        order = np.argsort(dst, kind="stable")
        self.n, self.src, dst = n, src[order], dst[order]
        self.targets, self.starts = np.unique(dst, return_index=True)
        self.degree = np.bincount(dst, minlength=n).astype(float)
        self.csr = None
        if sparse:
            try:
                from scipy import sparse as sp
            except ModuleNotFoundError:  # pragma: no cover - scipy is optional
                pass
            else:
                self.csr = sp.csr_matrix((np.ones(dst.size), (dst, self.src)), shape=(n, n))

    def left(self, x: np.ndarray) -> np.ndarray:
        """``A @ x`` for the adjacency matrix ``A`` (rows of ``x`` are nodes)."""
        if self.csr is not None:
            return self.csr @ x
        out = np.zeros((self.n, x.shape[1]))
        if self.src.size:
            out[self.targets] = np.add.reduceat(x[self.src], self.starts, axis=0)
        return out


def _betweenness(g: _Graph) -> np.ndarray:
    """Brandes' betweenness for an undirected, unweighted graph, every source at once.

    Matrices are node x source (``dist[v, s]``). Normalised as networkx does for undirected graphs: the
    sum over ordered pairs over (n-1)(n-2).
    """
    n = g.n
    if n <= 2:
        return np.zeros(n)
    dist = np.full((n, n), -1, dtype=np.int64)
    np.fill_diagonal(dist, 0)
    sigma = np.eye(n)
    frontier = np.eye(n)
    level = 0
    while True:
        paths = g.left(frontier) * (dist < 0)  # shortest paths reaching new nodes at the next level
        if not paths.any():
            break
        level += 1
        dist[paths > 0] = level
        sigma += paths
        frontier = paths
    delta = np.zeros((n, n))
    inv = np.divide(1.0, sigma, out=np.zeros_like(sigma), where=sigma > 0)
    for k in range(level - 1, 0, -1):
        m = np.where(dist == k + 1, (1.0 + delta) * inv, 0.0)
        delta += np.where(dist == k, sigma * g.left(m), 0.0)
    return delta.sum(axis=1) / ((n - 1) * (n - 2))


def _effective_size(g: _Graph) -> np.ndarray:
    """Burt's effective size of every node of an undirected graph: degree minus 2 ties among neighbours over
    degree (0 for isolates)."""
    adj = g.left(np.eye(g.n))
    ties = (g.left(adj) * adj).sum(axis=1) / 2.0
    return np.divide(g.degree - 2.0 * ties / np.maximum(g.degree, 1.0), 1.0, where=g.degree > 0,
                     out=np.zeros(g.n))
