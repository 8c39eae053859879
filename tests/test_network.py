"""Temporal query semantics on the tiny knowledge base."""

from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner

from pactnet import network
from pactnet.cli import main
from pactnet.errors import InputError


def ids(rows):
    return sorted(t["id"] for t in rows)


def test_at_date_and_partial_dates(tiny_store):
    assert ids(network.ties(at="2022-04-30", patron="FIN", db=tiny_store)) == []
    assert ids(network.ties(at="2022-05-31", patron="FIN", db=tiny_store)) == ["usa-fin-assurance"]
    # A month-precision start is active on any day of that month.
    assert ids(network.ties(at="2022-05-01", patron="FIN", db=tiny_store)) == ["usa-fin-assurance"]
    assert ids(network.ties(at="2022-05", patron="FIN", db=tiny_store)) == ["usa-fin-assurance"]


def test_ties_through_organisation(tiny_store):
    rows = network.ties(patron="USA", partner="FIN", at="2024-01-01", db=tiny_store)
    assert len(rows) == 1
    t = rows[0]
    assert t["id"] == "via:NATO:FIN-USA" and t["via"] == "NATO" and t["level"] == "guarantee"
    assert t["start"] == "2023-04-04" and t["end"] is None
    assert set(t["sources"]) == {"treaty@Art. 10"}
    assert sorted(t["derived_from"]) == ["fin-nato", "usa-nato"]
    assert network.ties(patron="USA", partner="FIN", at="2024-01-01", via=False, db=tiny_store) == []


def test_json_contract(tiny_store):
    for t in network.ties(db=tiny_store):
        for key in ("id", "source", "target", "kind", "level", "rank", "drivers", "contents", "start", "end",
                    "sources"):
            assert key in t
        assert isinstance(t["start"], str) and len(t["start"]) == 10


def test_phases_change_level(tiny_store):
    (t2003,) = network.ties(at="2003-01-01", patron="PAK", kind="counter_terrorism", db=tiny_store)
    (t2008,) = network.ties(at="2008-01-01", patron="PAK", kind="counter_terrorism", db=tiny_store)
    (t2015,) = network.ties(at="2015-01-01", patron="PAK", kind="counter_terrorism", db=tiny_store)
    assert (t2003["level"], t2008["level"], t2015["level"]) == ("ad_hoc", "structured", "transactional")
    assert t2015["status"] == "broken_down"
    assert t2003["flows"]["USA"] == ["intel_sharing", "overflight"]


def test_min_level_and_driver(tiny_store):
    assert ids(network.ties(at="2022-06-01", min_level="assurance", db=tiny_store, via=False)) == [
        "usa-fin-assurance", "usa-nato"]
    assert ids(network.ties(driver="gwot", db=tiny_store)) == ["usa-pak-base", "usa-pak-gwot"]
    with pytest.raises(InputError, match="unknown driver"):
        network.ties(driver="terror", db=tiny_store)
    with pytest.raises(InputError, match="unknown actor"):
        network.ties(patron="XYZ", db=tiny_store)


def test_views(tiny_store):
    rec = network.ties(at="2003-06-01", patron="PAK", kind="basing_access", db=tiny_store)
    bri = network.ties(at="2003-06-01", patron="PAK", kind="basing_access", view="briefing", db=tiny_store)
    assert ids(rec) == ["usa-pak-base"] and bri == []
    (b,) = network.ties(patron="PAK", kind="basing_access", view="briefing", db=tiny_store)
    assert b["start"] == "2008-01-01" and b["sources"] == ["briefing@L23"] and b["disputed"]
    dis = network.disagreements(db=tiny_store)
    assert [d["id"] for d in dis] == ["usa-pak-base"]
    assert dis[0]["record_start"] == "2002" and dis[0]["briefing_start"] == "2008"


def test_diff(tiny_store):
    d = network.diff("2006-01-01", "2022-12-31", patron="USA", db=tiny_store)
    assert ids(d["added"]) == ["usa-fin-assurance"]
    assert ids(d["ended"]) == ["usa-pak-base", "usa-pak-gwot"]
    assert ids(network.diff("2000", "2015", patron="USA", db=tiny_store)["transient"]) == ["usa-pak-base"]
    d = network.diff("2003", "2008", patron="USA", db=tiny_store)
    assert ids(d["upgraded"]) == ["usa-pak-gwot"] and d["upgraded"][0]["level_before"] == "ad_hoc"
    with pytest.raises(InputError):
        network.diff("2010", "2005", db=tiny_store)


def test_portfolio_counts_levels_per_year(tiny_store):
    frame = network.portfolio("USA", 2022, 2024, db=tiny_store)
    got = {(r["year"], r["level"]): r["ties"] for r in frame.to_dicts()}
    assert got[(2022, "assurance")] == 1 and got[(2024, "assurance")] == 0
    # The US's own NATO membership is not a partner: the guarantee to Finland held through NATO is (from 2023).
    assert got[(2022, "guarantee")] == 0 and got[(2023, "guarantee")] == 1
    plain = network.portfolio("USA", 2022, 2023, via=False, db=tiny_store)
    got = {(r["year"], r["level"]): r["ties"] for r in plain.to_dicts()}
    assert got[(2022, "guarantee")] == 1 and got[(2023, "guarantee")] == 1  # the membership record itself
    by_driver = network.portfolio("USA", 2002, 2002, by="driver", db=tiny_store)
    assert {r["driver"]: r["ties"] for r in by_driver.to_dicts()} == {"gwot": 2}


def test_snapshot_and_export(tiny_store, tmp_path):
    g = network.snapshot("2024-01-01", db=tiny_store)
    assert g.has_edge("FIN", "USA") and g.nodes["FIN"]["ccode"] == 375
    runner = CliRunner()
    for suffix in ("graphml", "gexf"):
        out = tmp_path / f"s.{suffix}"
        r = runner.invoke(main, ["snapshot", "--at", "2024-01-01", "--out", str(out), "--db", str(tiny_store.path),
                                 "--kb", str(tiny_store.kb_dir)])
        assert r.exit_code == 0, r.output
        h = nx.read_graphml(out) if suffix == "graphml" else nx.read_gexf(out)
        assert h.number_of_edges() == g.number_of_edges()


def test_unknown_ids_are_errors(tiny_store):
    with pytest.raises(InputError, match="actor: unknown actor 'XXX'"):
        network.events(actor="XXX", db=tiny_store)
    with pytest.raises(InputError, match="actor: unknown actor 'XXX'"):
        network.history("XXX", db=tiny_store)
    with pytest.raises(InputError, match="no ties of dataset 'atop'"):
        network.ties(datasets=["atop"], db=tiny_store)
    with pytest.raises(InputError, match="no record 'nope'"):
        network.sources("nope", db=tiny_store)


def test_events_and_history(tiny_store):
    ev = network.events(actor="FIN", db=tiny_store)
    assert [e["id"] for e in ev] == ["fin-accession"] and ev[0]["date"] == "2023-04-04"
    assert network.events(start="2024", db=tiny_store) == []
    h = network.history("FIN", db=tiny_store)
    assert [t["id"] for t in h["ties"]][:2] == ["usa-fin-assurance", "fin-nato"]


def test_sources_lists_citations(tiny_store):
    rows = network.sources("usa-pak-base", db=tiny_store)
    assert {(r["id"], r["view"], r["locator"]) for r in rows} == {
        ("briefing", "record", "L25"), ("briefing", "briefing", "L23")}


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_cli_ties_formats(tiny_store, fmt):
    r = CliRunner().invoke(main, ["ties", "--patron", "USA", "--partner", "FIN", "--at", "2024-01-01",
                                  "--format", fmt, "--db", str(tiny_store.path), "--kb", str(tiny_store.kb_dir)],
                            env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    assert "via:NATO:FIN-USA" in r.output


def test_cli_parquet(tiny_store, tmp_path):
    import polars as pl

    out = tmp_path / "t.parquet"
    r = CliRunner().invoke(main, ["ties", "--format", "parquet", "--out", str(out), "--db", str(tiny_store.path),
                                  "--kb", str(tiny_store.kb_dir)])
    assert r.exit_code == 0, r.output
    assert pl.read_parquet(out).height == len(network.ties(db=tiny_store))


def test_cli_bad_input_is_one_line(tiny_store):
    r = CliRunner().invoke(main, ["ties", "--at", "yesterday", "--db", str(tiny_store.path),
                                  "--kb", str(tiny_store.kb_dir)])
    assert r.exit_code == 2
    assert r.stderr.strip() == "Error: at: not a date: 'yesterday' (expected YYYY-MM-DD, YYYY-MM or YYYY)"
