"""The views' data (what each chart and page shows) and the figures drawn from them, without a browser."""

from __future__ import annotations

import pytest

from pactnet.errors import InputError
from pactnet.viz import figures, views


def _pair(data, a, b):
    return next((p for p in data["pairs"] if {p["a"], p["b"]} == {a, b}), None)


@pytest.mark.parametrize(("at", "level"), [
    ("2022-06-01", "assurance"),
    ("2023-04-03", "assurance"),
    ("2023-04-04", "guarantee"),
    ("2023", "guarantee"),
])
def test_finland_becomes_a_guarantee_on_accession(tiny_store, at, level):
    data = views.network_view(at, db=tiny_store)
    assert _pair(data, "FIN", "USA")["level"] == level


def test_network_filters(tiny_store):
    assert _pair(views.network_view("2022", level="assurance", db=tiny_store), "FIN", "USA")["level"] == "assurance"
    assert _pair(views.network_view("2024", level="assurance", db=tiny_store), "FIN", "USA") is None
    data = views.network_view("2010", driver="gwot", db=tiny_store)
    assert {p["pair"] for p in data["pairs"]} == {"PAK-USA"}
    assert {p["pair"] for p in views.network_view("2010", region="europe", db=tiny_store)["pairs"]} == {"NATO-USA"}
    everything = views.network_view("2024", patron=None, via=False, db=tiny_store)
    assert "FIN-NATO" in {p["pair"] for p in everything["pairs"]}
    assert "FIN-USA" not in {p["pair"] for p in everything["pairs"]}


def test_network_layout_puts_stronger_ties_nearer_the_patron(tiny_store):
    def distance(at, actor):
        n = {n["id"]: n for n in views.network_view(at, db=tiny_store)["nodes"]}
        return (n[actor]["x"] ** 2 + n[actor]["y"] ** 2) ** 0.5

    assert distance("2023", "FIN") < distance("2022", "FIN")


@pytest.mark.parametrize(("kw", "word"), [
    ({"level": "strong"}, "level"), ({"driver": "nope"}, "driver"), ({"region": "mars"}, "region"),
    ({"view": "mine"}, "view"), ({"patron": "XXX"}, "patron"),
])
def test_network_refuses_unknown_filters(tiny_store, kw, word):
    with pytest.raises(InputError, match=word):
        views.network_view("2020", db=tiny_store, **kw)


def test_map_colours_partners_by_their_strongest_tie(tiny_store):
    data = views.map_view("2023", db=tiny_store)
    by = {c["actor"]: c for c in data["countries"]}
    assert by["FIN"]["level"] == "guarantee"
    assert "USA" not in by and data["patron_iso3"] == "USA"
    assert [c["actor"] for c in data["not_on_map"]] == ["NATO"]


def test_portfolio_and_changes(tiny_store):
    p = views.portfolio_view("USA", 2000, 2024, db=tiny_store)
    assert p["years"][0] == 2000 and len(p["years"]) == 25
    assert p["series"]["ad_hoc"][p["years"].index(2002)] == 1
    c = views.changes_view("USA", 2006, 2022, db=tiny_store)
    assert {t["id"] for t in c["ended"]} == {"usa-pak-base", "usa-pak-gwot"}
    assert "usa-fin-assurance" in {t["id"] for t in c["added"]}


def test_actor_view_shows_both_versions_and_citations(tiny_store):
    data = views.actor_view("PAK", db=tiny_store)
    base = next(i for i in data["timeline"] if i["id"] == "usa-pak-base")
    assert base["date"] == "2002-01-01"
    assert base["briefing"]["start"] == "2008-01-01" and "start" in base["briefing"]["differs"]
    assert base["briefing"]["citations"][0]["locator"] == "L23"
    assert base["citations"][0] == {"source": "briefing", "locator": "L25", "citation": "The briefing",
                                    "address": None}
    gwot = next(i for i in data["timeline"] if i["id"] == "usa-pak-gwot")
    assert gwot["briefing"] is None
    with pytest.raises(InputError, match="actor"):
        views.actor_view("XXX", db=tiny_store)


def test_source_view(tiny_store):
    data = views.source_view("treaty", db=tiny_store)
    assert data["address"] == "https://example.org/treaty"
    assert {u["record"] for u in data["cited_by"]} >= {"usa-nato", "fin-nato", "fin-accession"}
    with pytest.raises(InputError, match="source"):
        views.source_view("nope", db=tiny_store)


def test_every_figure_is_valid_plotly(tiny_store):
    """The figures are built unvalidated for speed; here plotly validates each one."""
    go = pytest.importorskip("plotly.graph_objects")
    figs = [
        figures.network_figure(views.network_view("2023", db=tiny_store)),
        figures.map_figure(views.map_view("2023", db=tiny_store)),
        figures.portfolio_figure(views.portfolio_view("USA", 1990, 2024, db=tiny_store)),
        figures.portfolio_figure(views.portfolio_view("USA", 1990, 2024, by="driver", db=tiny_store)),
        figures.changes_figure(views.changes_view("USA", 2006, 2022, db=tiny_store)),
        figures.fan_figure({"name": "e", "replicas": 3, "years": [2000, 2001],
                            "levels": {"guarantee": {q: [1.0, 2.0] for q in ("q05", "q25", "q50", "q75", "q95")}}}),
        figures.indicator_figure({"patron": "USA", "indicator": "hedging",
                                  "series": {"PAK": [("2000", 0.1), ("2001", 0.3)]}}),
        figures.landscape_figure({"at": "2021", "labels": ["A", "B"],
                                  "minima": [{"rank": 1, "energy": -1.0, "sides": [["A"], ["B"]]}]}),
    ]
    for f in figs:
        go.Figure(f.to_dict())  # raises on any invalid property
        assert f.data

