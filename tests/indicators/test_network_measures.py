"""The network measures against networkx, on random graphs and on the mini knowledge base."""

from __future__ import annotations

import datetime as dt
import random

import networkx as nx
import numpy as np
import polars as pl
import pytest

from pactnet.indicators import compute
from pactnet.indicators.network_measures import _betweenness, _effective_size, _Graph


def _graph(g: nx.Graph, sparse: bool) -> tuple[list, _Graph]:
    nodes = sorted(g)
    idx = {n: i for i, n in enumerate(nodes)}
    return nodes, _Graph(len(nodes), np.array([(idx[u], idx[v]) for u, v in g.edges()], dtype=np.int64),
                         sparse=sparse)


@pytest.mark.parametrize("sparse", [True, False])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_betweenness_and_effective_size_match_networkx(seed, sparse):
    rng = random.Random(seed)
    g = nx.gnp_random_graph(40, 0.1, seed=rng.randint(0, 10**6))
    g.add_edge(40, 41)  # a separate component
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    nodes, graph = _graph(g, sparse)
    bc, es = _betweenness(graph), _effective_size(graph)
    ref_bc, ref_es = nx.betweenness_centrality(g), nx.effective_size(g)
    assert np.allclose(bc, [ref_bc[n] for n in nodes], atol=1e-12)
    assert np.allclose(es, [ref_es[n] for n in nodes], atol=1e-12)


def test_tiny_graphs():
    _, graph = _graph(nx.path_graph(2), sparse=False)
    assert _betweenness(graph).tolist() == [0.0, 0.0]
    _, graph = _graph(nx.path_graph(3), sparse=False)
    assert _betweenness(graph).tolist() == [0.0, 1.0, 0.0]


def test_degree_by_level_and_brokerage_on_the_mini_kb(mini_store):
    f = compute("USA", at=2016, db=mini_store, kb=mini_store.kb_dir)
    pak = f.filter(pl.col("actor") == "PAK").row(0, named=True)
    # PAK 2016: the counter-terrorism tie (ad hoc), Russian arms (transactional), the ISI's covert support
    # (hostile, held by its state)
    assert (pak["degree_ad_hoc"], pak["degree_transactional"], pak["degree_hostile"]) == (1, 1, 1)
    g = nx.Graph([("USA", "NATO"), ("FIN", "NATO"), ("USA", "FIN"), ("USA", "UKR"), ("RUS", "UKR"),
                  ("USA", "RUS"), ("USA", "PAK"), ("PAK", "TALIBAN"), ("USA", "TALIBAN"), ("RUS", "PAK")])
    ref = nx.betweenness_centrality(g)
    for row in f.iter_rows(named=True):
        assert row["betweenness"] == pytest.approx(ref[row["actor"]]), row["actor"]
    assert f["date"].unique().to_list() == [dt.date(2016, 12, 31)]
