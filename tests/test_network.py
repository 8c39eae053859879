"""Temporal query semantics and the frame contract, on the tiny knowledge base."""

from __future__ import annotations

import datetime as dt
import json

import networkx as nx
import polars as pl
import pytest
from click.testing import CliRunner

from pactnet import network
from pactnet import schema as S
from pactnet.cli import main
from pactnet.errors import InputError, StoreError
from pactnet.store import Store
from tests.conftest import TINY, write_kb

D = dt.date


def ids(frame: pl.DataFrame) -> list[str]:
    return sorted(frame["id"].to_list())


def test_at_date_and_partial_dates(tiny_store):
    assert ids(network.ties(at="2022-04-30", patron="FIN", db=tiny_store)) == []
    assert ids(network.ties(at="2022-05-31", patron="FIN", db=tiny_store)) == ["usa-fin-assurance"]
    # A month-precision start holds from the first day of that month ...
    assert ids(network.ties(at="2022-05-01", patron="FIN", db=tiny_store)) == ["usa-fin-assurance"]
    # ... and a bare month or year as `at` means its last day.
    assert ids(network.ties(at="2022-05", patron="FIN", db=tiny_store)) == ["usa-fin-assurance"]
    assert ids(network.ties(at=2022, patron="FIN", db=tiny_store)) == ["usa-fin-assurance"]
    assert ids(network.ties(at=dt.date(2022, 4, 30), patron="FIN", db=tiny_store)) == []


def test_end_is_the_day_a_tie_no_longer_holds(tiny_store):
    # The assurance ended on 2023-04-04, the day Finland's guarantee through NATO began: they meet.
    assert ids(network.ties(at="2023-04-03", patron="USA", partner="FIN", db=tiny_store)) == ["usa-fin-assurance"]
    assert ids(network.ties(at="2023-04-04", patron="USA", partner="FIN", db=tiny_store)) == ["via:NATO:FIN-USA"]
    # A partial end holds through its period: the base ending "2014" holds on 2014-12-31, not on 2015-01-01.
    assert ids(network.ties(at="2014-12-31", kind="basing_access", db=tiny_store)) == ["usa-pak-base"]
    assert ids(network.ties(at="2015-01-01", kind="basing_access", db=tiny_store)) == []


def test_range_keeps_ties_active_some_time_in_it(tiny_store):
    assert ids(network.ties(start=2015, end=2016, patron="PAK", db=tiny_store)) == ["usa-pak-gwot"]
    assert ids(network.ties(start=2014, end=2014, patron="PAK", db=tiny_store)) == ["usa-pak-base", "usa-pak-gwot"]
    with pytest.raises(InputError, match="^at: give either a date or a range"):
        network.ties(at=2014, start=2013, db=tiny_store)


def test_ties_through_organisation(tiny_store):
    frame = network.ties(patron="USA", partner="FIN", at="2024-01-01", db=tiny_store)
    (t,) = frame.to_dicts()
    assert t["id"] == "via:NATO:FIN-USA" and t["via"] == "NATO" and t["level"] == "guarantee"
    assert t["start"] == D(2023, 4, 4) and t["end"] is None
    assert (t["partner"], t["partner_name"], t["partner_ccode"]) == ("FIN", "Finland", 375)
    assert t["sources"] == ["treaty@Art. 10"]
    assert sorted(t["derived_from"]) == ["fin-nato", "usa-nato"]
    assert network.ties(patron="USA", partner="FIN", at="2024-01-01", via=False, db=tiny_store).is_empty()


@pytest.mark.parametrize("call, layout", [
    (lambda db: network.ties(db=db), S.TIE_LAYOUT),
    (lambda db: network.ties(at="1900", db=db), S.TIE_LAYOUT),
    (lambda db: network.ties(patron="USA", db=db), S.TIE_LAYOUT + S.PARTNER_LAYOUT),
    (lambda db: network.ties(patron="USA", at="1900", db=db), S.TIE_LAYOUT + S.PARTNER_LAYOUT),
    (lambda db: network.allies("USA", at="2024", db=db), S.ALLY_LAYOUT),
    (lambda db: network.allies("USA", at="1900", db=db), S.ALLY_LAYOUT),
    (lambda db: network.actors(db=db), S.ACTOR_LAYOUT),
    (lambda db: network.actors("mission", db=db), S.ACTOR_LAYOUT),
    (lambda db: network.events(db=db), S.EVENT_LAYOUT),
    (lambda db: network.events(start="1900", end="1901", db=db), S.EVENT_LAYOUT),
    (lambda db: network.history("FIN", db=db), S.HISTORY_LAYOUT),
    (lambda db: network.diff(2006, 2022, db=db), S.DIFF_LAYOUT),
    (lambda db: network.diff(1900, 1901, patron="USA", db=db), S.DIFF_LAYOUT + S.PARTNER_LAYOUT),
    (lambda db: network.sources(db=db), S.SOURCE_LAYOUT),
    (lambda db: network.disagreements(db=db), S.DISAGREEMENT_LAYOUT),
    (lambda db: network.attributes(db=db), S.ATTRIBUTE_LAYOUT),
    (lambda db: network.attributes("revisionist", at="1900", db=db), S.ATTRIBUTE_LAYOUT),
])
def test_every_query_returns_its_documented_schema_empty_or_not(tiny_store, call, layout):
    frame = call(tiny_store)
    assert frame.schema == S.polars_schema(layout)


def test_portfolio_schema_is_stable(tiny_store):
    for start in (1900, 2022):
        frame = network.portfolio("USA", start=start, end=start, db=tiny_store)
        assert frame.schema == pl.Schema({"year": pl.Int32, "level": pl.String, "ties": pl.Int32})
        assert frame["level"].to_list() == list(S.LEVELS)


def test_to_pandas_gives_nullable_dtypes(tiny_store):
    import pandas as pd

    frame = network.ties(patron="USA", db=tiny_store)
    assert isinstance(frame, pl.DataFrame)
    pdf = frame.to_pandas()
    assert pdf["partner_ccode"].dtype == pd.Int32Dtype() and pdf["rank"].dtype == pd.Int8Dtype()
    assert pdf["via"].dtype == pd.StringDtype() and pdf["disputed"].dtype == pd.BooleanDtype()
    pak = pdf[pdf["id"] == "usa-pak-gwot"].iloc[0]
    assert pak["partner_ccode"] == 770 and pd.isna(pdf["source_ccode"]).sum() == 0
    assert pdf["end"].isna().any() and not pdf["end"].isna().all()


def test_phases_change_level(tiny_store):
    levels = [network.ties(at=day, patron="PAK", kind="counter_terrorism", db=tiny_store).row(0, named=True)
              for day in ("2003-01-01", "2008-01-01", "2015-01-01")]
    assert [t["level"] for t in levels] == ["ad_hoc", "structured", "transactional"]
    assert levels[2]["status"] == "broken_down" and levels[2]["phase"] == "2011-05"
    assert json.loads(levels[0]["flows"])["USA"] == ["intel_sharing", "overflight"]


def test_min_level_and_driver(tiny_store):
    assert ids(network.ties(at="2022-06-01", min_level="assurance", db=tiny_store, via=False)) == [
        "usa-fin-assurance", "usa-nato"]
    assert ids(network.ties(driver="gwot", db=tiny_store)) == ["usa-pak-base", "usa-pak-gwot"]
    with pytest.raises(InputError, match="^driver: unknown driver"):
        network.ties(driver="terror", db=tiny_store)
    with pytest.raises(InputError, match="^patron: unknown actor 'XYZ'"):
        network.ties(patron="XYZ", db=tiny_store)
    with pytest.raises(InputError, match="^min_level: unknown commitment level"):
        network.ties(min_level="huge", db=tiny_store)


@pytest.mark.parametrize("name", ["FIN", "fin", "Finland", "finland", 375, "375"])
def test_actors_found_by_iso3_cow_code_or_name(tiny_store, name):
    assert network.resolve_actor(name, db=tiny_store) == "FIN"
    assert ids(network.ties(patron=name, at="2022-06-01", db=tiny_store)) == ["usa-fin-assurance"]


def test_unknown_actor_lists_the_nearest(tiny_store):
    with pytest.raises(InputError, match=r"^partner: unknown actor 'Finlnd'; did you mean FIN\?"):
        network.ties(partner="Finlnd", db=tiny_store)


def test_allies_one_row_per_partner_without_organisations(tiny_store):
    a = network.allies("USA", at="2022-06-30", db=tiny_store)
    assert a.select("partner", "level", "kinds", "ties").rows() == [
        ("FIN", "assurance", ["security_assurance"], ["usa-fin-assurance"])]
    a = network.allies("USA", at="2010-06-30", db=tiny_store)
    assert a.select("partner", "level", "kinds", "ties").rows() == [
        ("PAK", "structured", ["basing_access", "counter_terrorism"], ["usa-pak-gwot", "usa-pak-base"])]
    a = network.allies("United States", at="2024-01-01", db=tiny_store)
    assert a.select("partner", "partner_ccode", "level", "via").rows() == [("FIN", 375, "guarantee", ["NATO"])]
    assert "NATO" not in a["partner"].to_list()


def test_views(tiny_store):
    rec = network.ties(at="2003-06-01", patron="PAK", kind="basing_access", db=tiny_store)
    bri = network.ties(at="2003-06-01", patron="PAK", kind="basing_access", view="briefing", db=tiny_store)
    assert ids(rec) == ["usa-pak-base"] and bri.is_empty()
    b = network.ties(patron="PAK", kind="basing_access", view="briefing", db=tiny_store).row(0, named=True)
    assert b["start"] == D(2008, 1, 1) and b["sources"] == ["briefing@L23"] and b["disputed"]
    dis = network.disagreements(db=tiny_store)
    assert dis["id"].to_list() == ["usa-pak-base"]
    assert dis.select("record_start", "briefing_start").row(0) == ("2002", "2008")
    with pytest.raises(InputError, match="^view: unknown view"):
        network.ties(view="rumour", db=tiny_store)


def test_diff(tiny_store):
    d = network.diff("2006-01-01", "2022-12-31", patron="USA", db=tiny_store)
    assert ids(d.filter(change="added")) == ["usa-fin-assurance"]
    assert ids(d.filter(change="ended")) == ["usa-pak-base", "usa-pak-gwot"]
    assert ids(network.diff("2000", "2015", patron="USA", db=tiny_store).filter(change="transient")) == [
        "usa-pak-base"]
    up = network.diff("2003", "2008", patron="USA", db=tiny_store).filter(change="upgraded")
    assert up.select("id", "level_before", "level", "partner").rows() == [
        ("usa-pak-gwot", "ad_hoc", "structured", "PAK")]
    with pytest.raises(InputError, match="^end: "):
        network.diff("2010", "2005", db=tiny_store)


def test_portfolio_counts_levels_per_year(tiny_store):
    frame = network.portfolio("USA", start=2022, end=2024, db=tiny_store)
    got = {(r["year"], r["level"]): r["ties"] for r in frame.to_dicts()}
    assert got[(2022, "assurance")] == 1 and got[(2024, "assurance")] == 0
    # The US's own NATO membership is not a partner: the guarantee to Finland held through NATO is (from 2023).
    assert got[(2022, "guarantee")] == 0 and got[(2023, "guarantee")] == 1
    plain = network.portfolio("USA", start=2022, end=2023, via=False, db=tiny_store)
    got = {(r["year"], r["level"]): r["ties"] for r in plain.to_dicts()}
    assert got[(2022, "guarantee")] == 1 and got[(2023, "guarantee")] == 1  # the membership record itself
    by_driver = network.portfolio("USA", start=2002, end=2002, by="driver", db=tiny_store)
    assert {r["driver"]: r["ties"] for r in by_driver.to_dicts()} == {"gwot": 2}
    # The strongest phase held in a year counts: the GWOT tie was ad_hoc until June 2004, then structured.
    y2004 = network.portfolio("USA", start=2003, end=2004, db=tiny_store)
    got = {(r["year"], r["level"]): r["ties"] for r in y2004.to_dicts()}
    assert (got[(2003, "ad_hoc")], got[(2003, "structured")]) == (1, 1)  # the GWOT tie; the base
    assert (got[(2004, "ad_hoc")], got[(2004, "structured")]) == (0, 2)


def test_snapshot_and_export(tiny_store, tmp_path):
    g = network.snapshot("2024-01-01", db=tiny_store)
    assert g.has_edge("FIN", "USA") and g.nodes["FIN"]["ccode"] == 375
    assert g.edges["FIN", "USA", "via:NATO:FIN-USA"]["start"] == "2023-04-04"
    runner = CliRunner()
    for suffix in ("graphml", "gexf"):
        out = tmp_path / f"s.{suffix}"
        r = runner.invoke(main, ["snapshot", "--at", "2024-01-01", "--out", str(out), "--db", str(tiny_store.path),
                                 "--kb", str(tiny_store.kb_dir)])
        assert r.exit_code == 0, r.output
        h = nx.read_graphml(out) if suffix == "graphml" else nx.read_gexf(out)
        assert h.number_of_edges() == g.number_of_edges()


def test_unknown_ids_are_errors(tiny_store):
    with pytest.raises(InputError, match="^actor: unknown actor 'XXX'"):
        network.events(actor="XXX", db=tiny_store)
    with pytest.raises(InputError, match="^actor: unknown actor 'XXX'"):
        network.history("XXX", db=tiny_store)
    with pytest.raises(InputError, match="no ties of dataset 'atop'"):
        network.ties(datasets=["atop"], db=tiny_store)
    with pytest.raises(InputError, match="no record 'nope'"):
        network.sources("nope", db=tiny_store)


def test_events_and_history(tiny_store):
    ev = network.events(actor="FIN", db=tiny_store)
    assert ev.select("id", "date").rows() == [("fin-accession", D(2023, 4, 4))]
    assert network.events(start="2024", db=tiny_store).is_empty()
    h = network.history("FIN", db=tiny_store)
    assert h.select("type", "id").rows() == [("tie", "usa-fin-assurance"), ("event", "fin-accession"),
                                             ("tie", "fin-nato"), ("tie", "via:NATO:FIN-USA")]


def test_sources_lists_citations(tiny_store):
    frame = network.sources("usa-pak-base", db=tiny_store)
    assert set(frame.select("id", "view", "locator").rows()) == {
        ("briefing", "record", "L25"), ("briefing", "briefing", "L23")}


# ---------------------------------------------------------------------------------------- which knowledge base


def test_store_remembers_its_knowledge_base(tmp_path, monkeypatch):
    """A store built from a custom knowledge base is neither lost nor answered from the shipped one."""
    monkeypatch.delenv("PACTNET_KB", raising=False)
    kb = write_kb(tmp_path / "mykb")
    db = tmp_path / "custom.duckdb"
    Store(db, kb).build()
    frame = network.ties(db=str(db))  # db= alone: the recorded knowledge base
    assert set(frame["source"]) <= {"USA", "FIN", "PAK"} and frame.height == 6
    assert Store(db).recorded_kb() == str(kb.resolve())
    # Editing the recorded knowledge base rebuilds from it, not from the shipped one.
    (kb / "ties.yaml").write_text((kb / "ties.yaml").read_text().replace("end: 2023-04-04", "end: 2023-04-05"))
    t = network.ties(db=str(db), kind="security_assurance").row(0, named=True)
    assert t["end"] == D(2023, 4, 5)
    # Asking for another knowledge base on that store is refused rather than silently switched.
    other = write_kb(tmp_path / "otherkb")
    with pytest.raises(StoreError, match="built from .*mykb"):
        network.ties(db=str(db), kb=str(other))
    monkeypatch.setenv("PACTNET_KB", str(kb))
    assert network.ties(db=str(db)).height == 6


# ---------------------------------------------------------------------------------------- command line


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_cli_ties_formats(tiny_store, fmt):
    r = CliRunner().invoke(main, ["ties", "--patron", "USA", "--partner", "FIN", "--at", "2024-01-01",
                                  "--format", fmt, "--db", str(tiny_store.path), "--kb", str(tiny_store.kb_dir)],
                           env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    assert "via:NATO:FIN-USA" in r.output


def test_cli_json_keeps_arrays_and_null_and_csv_joins_lists(tiny_store):
    base = ["ties", "--patron", "PAK", "--kind", "counter_terrorism", "--db", str(tiny_store.path), "--kb",
            str(tiny_store.kb_dir)]
    (row,) = json.loads(CliRunner().invoke(main, [*base, "--format", "json"]).output)
    assert row["drivers"] == ["gwot"] and row["end"] == "2021-01-01" and row["via"] is None
    assert row["end_precision"] == "year"
    csv = CliRunner().invoke(main, [*base, "--format", "csv"]).output.splitlines()
    header, line = csv[0].split(","), csv[1]
    assert "sources" in header and "briefing@L25;" not in line  # one source: nothing to join
    assert ",gwot," in line


def test_cli_table_shows_dates_at_their_precision(tiny_store):
    r = CliRunner().invoke(main, ["ties", "--kind", "basing_access", "--db", str(tiny_store.path), "--kb",
                                  str(tiny_store.kb_dir)], env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    assert " 2002 " in r.output and " 2014 " in r.output and "2002-01-01" not in r.output


def test_cli_parquet_keeps_schema_even_when_empty(tiny_store, tmp_path):
    out = tmp_path / "t.parquet"
    for at in ("2024", "1900"):
        r = CliRunner().invoke(main, ["ties", "--at", at, "--format", "parquet", "--out", str(out), "--db",
                                      str(tiny_store.path), "--kb", str(tiny_store.kb_dir)])
        assert r.exit_code == 0, r.output
        assert pl.read_parquet(out).schema == S.polars_schema(S.TIE_LAYOUT)
    empty = tmp_path / "e.csv"
    CliRunner().invoke(main, ["ties", "--at", "1900", "--format", "csv", "--out", str(empty), "--db",
                              str(tiny_store.path), "--kb", str(tiny_store.kb_dir)])
    assert empty.read_text().strip().split(",") == list(S.column_names(S.TIE_LAYOUT))


def test_cli_allies(tiny_store):
    r = CliRunner().invoke(main, ["allies", "--patron", "2", "--at", "2024-01-01", "--format", "json", "--db",
                                  str(tiny_store.path), "--kb", str(tiny_store.kb_dir)])
    assert r.exit_code == 0, r.output
    assert [a["partner"] for a in json.loads(r.output)] == ["FIN"]


@pytest.mark.parametrize("args, message", [
    (["ties", "--at", "yesterday"], "Error: Invalid value for '--at': 'yesterday' is not a date"),
    (["ties", "--patron", "Atlantis"], "Error: --patron: unknown actor 'Atlantis'"),
    (["ties", "--from", "2010", "--to", "2005"], "Error: --to: '2005' is before start '2010'"),
    (["ties", "--driver", "terror"], "Error: --driver: unknown driver 'terror'"),
    (["history", "Atlantis"], "Error: ACTOR: unknown actor 'Atlantis'"),
    (["diff", "--from", "2010", "--to", "2005"], "Error: --to: '2005' is before start '2010'"),
])
def test_cli_errors_name_the_flag_on_one_line(tiny_store, args, message):
    r = CliRunner().invoke(main, [*args, "--db", str(tiny_store.path), "--kb", str(tiny_store.kb_dir)])
    assert r.exit_code == 2
    assert r.stderr.startswith(message), r.stderr
    assert "Traceback" not in r.output


def test_cli_out_never_overwrites_the_store(tiny_store):
    before = tiny_store.path.read_bytes()
    r = CliRunner().invoke(main, ["ties", "--format", "json", "--out", str(tiny_store.path), "--db",
                                  str(tiny_store.path), "--kb", str(tiny_store.kb_dir)])
    assert r.exit_code == 2 and "will not write output over it" in r.stderr
    assert tiny_store.path.read_bytes() == before


def test_cli_missing_extra_is_one_line(tmp_path, monkeypatch):
    """`pactnet landscape ...` after `make demo` (core install only): which extra, and how to install it."""
    import sys

    (tmp_path / "p.csv").write_text("label,A,B\nA,0,1\nB,1,0\n")
    (tmp_path / "s.csv").write_text("label,size\nA,1\nB,2\n")
    monkeypatch.chdir(tmp_path)

    for mod in [m for m in sys.modules if m == "numba" or m.startswith(("numba.", "pactnet.landscape"))]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba -> ModuleNotFoundError
    r = CliRunner().invoke(main, ["landscape", "solve", "--propensity", "p.csv", "--sizes", "s.csv"])
    assert r.exit_code == 2, r.output
    assert r.stderr.strip().endswith("needs the 'models' extra (numba is not installed): pip install 'pactnet[models]'")
    assert len(r.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------------------------ phases and graphs, by brute force

PHASED = {
    "ties.yaml": """\
        ties:
          - id: usa-fin-overlap
            source: USA
            target: FIN
            kind: security_assurance
            drivers: [great_power_competition]
            start: 1990-03
            end: 2010
            sources: ["briefing@L43"]
            phases:
              - {start: 1991, end: 1995-06-15, level: structured, sources: ["briefing@L43"]}
              - {start: 1995-06-15, end: 1999, level: guarantee, sources: ["briefing@L43"]}
              - {start: 2001-02-01, end: 2004-07-04, level: transactional, sources: ["briefing@L43"]}
              - {start: 2004-07-04, end: 2004-07-05, level: ad_hoc, sources: ["briefing@L43"]}
          - id: usa-pak-open
            source: PAK
            target: USA
            kind: counter_terrorism
            drivers: [gwot]
            start: 2001-09-12
            sources: ["briefing@L25"]
            phases:
              - {start: 2001-09-12, end: 2003, level: ad_hoc, sources: ["briefing@L25"]}
              - {start: 2008-05, end: 2011-05-02, level: structured, sources: ["briefing@L25"]}
              - {start: 2011-05-02, level: transactional, sources: ["briefing@L25"]}
          - id: usa-pak-base
            source: PAK
            target: USA
            kind: basing_access
            drivers: [gwot]
            start: 2002
            end: 2014
            sources: ["briefing@L25"]
        """,
}


def _days_around(kb) -> list[dt.date]:
    """Every day on which a tie or phase begins or ends, with the days either side."""
    days = set()
    for t in kb.ties:
        for d in [t["start"], t["end"], *(p[k] for p in t["phases"] for k in ("start", "end"))]:
            if d is not None:
                days |= {d.lo, d.hi, d.hi + dt.timedelta(days=1)}
    return sorted(x + dt.timedelta(days=k) for x in days for k in (-1, 0, 1))


def _held_by_hand(kb, day: dt.date) -> dict[str, str]:
    """Tie id -> level on ``day``, from the validated records, one tie and phase at a time."""
    def until(d):
        return None if d is None else d.lo if d.precision == "day" else d.hi + dt.timedelta(days=1)

    out = {}
    for t in kb.ties:
        if t["view"] != "record" or not (t["start"].lo <= day and (until(t["end"]) is None or day < until(t["end"]))):
            continue
        held = [(p["rank"], p["start"].lo, i, p["level"]) for i, p in enumerate(t["phases"])
                if p["start"].lo <= day and (until(p["end"]) is None or day < until(p["end"]))]
        out[t["id"]] = max(held)[3] if held else t["level"]
    return out


def test_phases_at_every_boundary_match_a_tie_by_tie_reading(tmp_path):
    from pactnet.kb import load_files

    files = dict(TINY)
    files["ties.yaml"] = PHASED["ties.yaml"]
    kb_dir = write_kb(tmp_path / "kb", files)
    store = Store(tmp_path / "p.duckdb", kb_dir)
    kb = store.build()
    for day in _days_around(kb):
        got = dict(network.ties(at=day, db=store).select("id", "level").iter_rows())
        assert got == _held_by_hand(kb, day), day
    # A portfolio counts each tie once a year, at the strongest level it holds on some day of that year.
    by_year = network.portfolio("USA", start=1990, end=2012, db=store)
    for year in range(1990, 2013):
        days = [d for d in _days_around(kb) if d.year == year] + [dt.date(year, 1, 1), dt.date(year, 12, 31)]
        strongest: dict[str, int] = {}
        for d in days:
            for tid, level in _held_by_hand(kb, d).items():
                strongest[tid] = max(strongest.get(tid, -9), S.level_rank(level))
        want = {lvl: sum(1 for r in strongest.values() if r == S.level_rank(lvl)) for lvl in S.LEVELS}
        got = {r["level"]: r["ties"] for r in by_year.filter(year=year).to_dicts()}
        assert got == want, year
    assert load_files(kb_dir).counts()["ties"] == 3


def test_snapshot_is_the_graph_networkx_would_build(kb_store):
    """The snapshot writes networkx's adjacency directly (for speed): it must be the same graph, attributes
    included, and behave like one built edge by edge."""
    for at in ("1955-06-30", "2021-12-31", "2023-04-04"):
        g = network.snapshot(at, db=kb_store)
        frame = network.ties(at=at, db=kb_store)
        h = nx.MultiDiGraph(date=g.graph["date"], view="record")
        h.add_nodes_from(g.nodes(data=True))
        keep = ("kind", "level", "rank", "directed", "drivers", "contents", "start", "end", "via", "sources")
        h.add_edges_from((r["source"], r["target"], r["id"],
                          {k: (r[k].isoformat() if isinstance(r[k], dt.date) else r[k]) for k in keep})
                         for r in frame.to_dicts())
        assert nx.utils.graphs_equal(g, h)
        assert sorted(g.edges(keys=True, data=True)) == sorted(h.edges(keys=True, data=True))
        assert sorted(g.in_edges("USA", keys=True)) == sorted(h.in_edges("USA", keys=True))
    g.add_edge("USA", "FIN", key="mine", kind="economic")  # still a working graph
    assert g.number_of_edges("USA", "FIN") == h.number_of_edges("USA", "FIN") + 1
    assert g.edges["USA", "FIN", "mine"] == {"kind": "economic"} and "mine" in g.pred["FIN"]["USA"]


def test_attributes_come_from_the_store_with_their_days(kb_store):
    nuclear = network.attributes("nuclear_weapons", db=kb_store)
    assert {"CHN", "FRA", "GBR", "IND", "PAK"} <= set(nuclear["actor"].to_list())
    pak = network.attributes("nuclear_weapons", actor="Pakistan", db=kb_store)
    (start,) = pak["start"].to_list()
    assert network.attributes("nuclear_weapons", actor="PAK", at=start, db=kb_store).height == 1
    assert network.attributes("nuclear_weapons", actor="PAK", at=start - dt.timedelta(days=1), db=kb_store).is_empty()
    # A relational attribute is found from either actor.
    near_russia = network.attributes("contiguity", actor="RUS", at="2022-06-30", db=kb_store)
    assert "USA" in near_russia["actor"].to_list()
    assert all("RUS" in (a, o) for a, o in near_russia.select("actor", "other").iter_rows())
    with pytest.raises(InputError, match="^attribute: unknown attribute 'nuclear'"):
        network.attributes("nuclear", db=kb_store)


def test_a_store_of_an_older_layout_gains_new_knowledge_base_tables(tmp_path, tiny_kb):
    """A new knowledge-base table changes the fingerprint: the store is rebuilt, its datasets kept."""
    import duckdb

    from pactnet import store as store_module

    store = Store(tmp_path / "s.duckdb", tiny_kb)
    store.build()
    con = duckdb.connect(str(store.path))
    con.execute("DROP TABLE attributes")
    con.execute("UPDATE meta SET value = 'an older layout' WHERE key = 'kb_fingerprint'")
    con.close()
    assert not Store(store.path, tiny_kb).is_current()
    assert network.attributes(db=Store(store.path, tiny_kb)).is_empty()  # rebuilt on the way, no error
    assert store_module._fingerprint(store._kb_files()) == Store(store.path, tiny_kb).built_fingerprint()
