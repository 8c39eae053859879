"""Propensities from the field's data: each component on tiny frames, weights, --explain, the CLI."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import polars as pl
import pytest
from click.testing import CliRunner

from pactnet.cli.landscape import landscape
from pactnet.errors import InputError
from pactnet.landscape.fielddata import FieldData, parse_at, read_capitals, read_field_data, resolve_actors
from pactnet.landscape.propensity import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    explain,
    landscape_from_data,
    propensity_components,
)

D = dt.date


def atop_rows(*rows):
    """(atopid, members, entry, exit, yrexit, obligations) -> member-level frame."""
    out = []
    for aid, members, entry, exit_, yrexit, obl in rows:
        for m in members:
            out.append({"atopid": aid, "phase": 0, "member": m, "entry": entry, "exit": exit_, "yrexit": yrexit,
                        **{o: int(o in obl) for o in ("defense", "offense", "neutral", "nonagg", "consul")}})
    return pl.DataFrame(out)


@pytest.fixture
def data():
    # USA 2, GBR 200, FRA 220, DEU 255, RUS 365
    atop = atop_rows(
        (1, (200, 220), D(1904, 4, 8), D(1940, 6, 22), 1940, ("defense",)),
        (2, (220, 365), D(1935, 5, 2), D(1939, 8, 23), 1939, ("consul",)),
        (3, (2, 200, 220), D(1949, 8, 24), D(2018, 12, 31), 0, ("defense",)),
        (4, (255, 365), D(1939, 8, 23), D(1941, 6, 22), 1941, ("nonagg", "neutral")),
    )
    riv = pl.DataFrame({"ccode1": [255, 2], "ccode2": [365, 365], "styear": [1890, 1945], "endyear": [1945, 2010],
                        "rivalryname": ["Germany-Russia 2", "Russia-United States"]})
    cont = pl.DataFrame({"ccode1": [220, 200, 2], "ccode2": [255, 220, 20], "conttype": [1, 4, 1],
                         "start": [D(1871, 1, 1), D(1816, 1, 1), D(1920, 1, 1)],
                         "end": [D(2016, 12, 1), D(2016, 12, 1), D(2016, 12, 1)]})
    cap = pl.DataFrame({"ccode": [2, 200, 220, 255, 365] * 2, "year": [1938] * 5 + [2020] * 5,
                        "cinc": [0.2, 0.1, 0.05, 0.15, 0.2, 0.14, 0.02, 0.02, 0.02, 0.04]})
    caps = pl.DataFrame({"ccode": [2, 200, 220, 255, 365], "capital": ["Washington", "London", "Paris", "Berlin",
                                                                      "Moscow"],
                         "stdate": [D(1816, 1, 1)] * 5, "enddate": [D(2024, 12, 31)] * 5,
                         "lat": [38.895, 51.507, 48.857, 52.52, 55.756], "lng": [-77.037, -0.128, 2.352, 13.405,
                                                                                  37.617]})
    return FieldData(atop=atop, rivalries=riv, contiguity=cont, capabilities=cap, capitals=caps,
                     sources={"atop": "test"})


def comp(data, at, actors=("GBR", "FRA", "DEU", "RUS"), ties=(), **kw):
    c = propensity_components(at, list(actors), data, ties=list(ties), **kw)
    return c, {lab: i for i, lab in enumerate(c.labels)}


def test_alliance_by_strongest_obligation_on_the_date(data):
    c, i = comp(data, "1938-06-30")
    A = c.matrices["alliance"]
    assert A[i["GBR"], i["FRA"]] == 1.0  # defence
    assert A[i["FRA"], i["RUS"]] == 0.4  # consultation only
    assert A[i["DEU"], i["RUS"]] == 0.0  # not yet signed
    c, i = comp(data, "1940-01-01")
    A = c.matrices["alliance"]
    assert A[i["DEU"], i["RUS"]] == 0.5  # neutrality beats non-aggression
    assert A[i["FRA"], i["RUS"]] == 0.0  # ended
    assert c.evidence["alliance"]["DEU-RUS"] == ["atop:4"]
    assert np.allclose(A, A.T) and not np.diag(A).any()


def test_excluded_alliances_and_coverage_carry_forward(data):
    c, i = comp(data, "2021-12-31", actors=("USA", "GBR", "FRA"))
    assert c.matrices["alliance"][i["USA"], i["GBR"]] == 1.0  # open at ATOP's end, taken as in force
    assert any("ATOP codes alliances to 2018" in n for n in c.notes)
    c, i = comp(data, "2021-12-31", actors=("USA", "GBR", "FRA"), exclude_alliances=[3])
    assert not c.matrices["alliance"].any()


def test_rivalry_by_year_and_after_the_data_end(data):
    c, i = comp(data, "1938")
    assert c.matrices["rivalry"][i["DEU"], i["RUS"]] == -1.0
    c, i = comp(data, "1950")
    assert c.matrices["rivalry"][i["DEU"], i["RUS"]] == 0.0
    c, i = comp(data, "2020", actors=("USA", "RUS"))
    assert c.matrices["rivalry"][0, 1] == -1.0  # active in 2010, the data's last year


def test_contiguity_and_distance(data):
    c, i = comp(data, "1938")
    assert c.matrices["contiguity"][i["FRA"], i["DEU"]] == -1.0
    assert c.matrices["contiguity"][i["GBR"], i["FRA"]] == -0.25
    assert c.matrices["contiguity"][i["GBR"], i["RUS"]] == 0.0
    d = c.matrices["distance"][i["GBR"], i["FRA"]]
    assert d == pytest.approx(math.exp(-344 / 1000), abs=0.01)  # London-Paris about 344 km
    assert c.capitals["GBR"] == ["London", 51.507, -0.128]


def test_parity_of_great_powers(data):
    c, i = comp(data, "1938", actors=("USA", "RUS", "FRA"))
    P = c.matrices["parity"]
    assert P[i["USA"], i["RUS"]] == pytest.approx(-1.0)  # equal CINC, both the top
    assert P[i["USA"], i["FRA"]] == pytest.approx(-(0.05 / 0.2) * (0.05 / 0.2))


def test_kb_and_ties_to_rivals(data):
    ties = [{"id": "t1", "source": "GBR", "target": "FRA", "level": "structured"},
            {"id": "t2", "source": "FRA", "target": "POL", "level": "guarantee"},
            {"id": "t3", "source": "POL", "target": "DEU", "level": "hostile"}]
    c, i = comp(data, "1950", actors=("GBR", "FRA", "DEU"), ties=ties)
    assert c.matrices["kb"][i["GBR"], i["FRA"]] == 0.6
    # FRA is tied (1.0) to POL, a rival (1.0) of DEU: -(1.0 + 0) / 2
    assert c.matrices["rival_ties"][i["FRA"], i["DEU"]] == pytest.approx(-0.5)
    assert c.evidence["rival_ties"]["DEU-FRA"] == ["FRA~POL x POL/DEU"]
    # DEU-RUS rivalry does not count in 1950, so GBR has no tie to a rival of DEU
    assert c.matrices["rival_ties"][i["GBR"], i["DEU"]] == 0.0


def test_weights_explain_and_sizes(data):
    land = landscape_from_data("1938", ["GBR", "FRA", "DEU", "RUS"], data, ties=[], weights={"distance": 0})
    assert land.provenance["weights"] == {**DEFAULT_WEIGHTS, "distance": 0.0}
    assert list(land.sizes) == [0.1, 0.05, 0.15, 0.2]
    comps = {c: np.asarray(m) for c, m in land.provenance["components"].items()}
    assert np.allclose(sum(comps.values()), land.propensity)
    rows = explain(land)
    assert rows and abs(rows[0]["p"]) == max(abs(r["p"]) for r in rows)
    for r in rows:
        assert sum(r[f"{c}_share"] for c in COMPONENTS) == pytest.approx(1.0)
        assert sum(r[c] for c in COMPONENTS) == pytest.approx(r["p"])
    gf = next(r for r in rows if {r["a"], r["b"]} == {"GBR", "FRA"})
    assert gf["alliance"] == 1.0 and gf["evidence"]["alliance"] == ["atop:1"]
    land = landscape_from_data("1938", ["GBR", "FRA", "DEU", "RUS"], data, ties=[])
    gf = next(r for r in explain(land) if {r["a"], r["b"]} == {"GBR", "FRA"})
    assert gf["evidence"]["distance"] == ["London-Paris 343 km"]


def test_missing_data_leaves_components_at_zero_and_says_so():
    c = propensity_components("1938", ["GBR", "FRA"], FieldData(), ties=[])
    assert all(not m.any() for m in c.matrices.values())
    assert len(c.notes) == 5
    with pytest.raises(InputError, match="sizes: no capabilities data"):
        landscape_from_data("1938", ["GBR", "FRA"], FieldData(), ties=[])


@pytest.mark.parametrize("call, message", [
    (lambda d: landscape_from_data("1938", ["GBR", "FRA"], d, ties=[], weights={"borders": 1}),
     "weights: unknown component 'borders'"),
    (lambda d: landscape_from_data("1938", ["GBR", "FRA"], d, ties=[], weights={"rivalry": "x"}),
     "weights: rivalry is 'x'"),
    (lambda d: landscape_from_data("1938", ["GBR", "XXX"], d, ties=[]), "actors: unknown actor 'XXX'"),
    (lambda d: landscape_from_data("1938", ["GBR", "UKG"], d, ties=[]), "actors: unknown actor 'UKG'"),
    (lambda d: landscape_from_data("1938", ["GBR", "200"], d, ties=[]), "listed twice"),
    (lambda d: landscape_from_data("1938-13", ["GBR", "FRA"], d, ties=[]), "at: '1938-13' has month 13"),
    (lambda d: landscape_from_data("1820", ["GBR", "FRA"], d, ties=[]), "no CINC in or before 1820 for GBR"),
    (lambda d: propensity_components("1938", ["GBR", "FRA"], d, ties=[], obligation_weights={"def": 1}),
     "obligation_weights: unknown obligation 'def'"),
])
def test_errors_name_the_parameter(data, call, message):
    with pytest.raises(InputError, match=message):
        call(data)


def test_actor_forms_and_dates():
    assert resolve_actors(["USA", "cow315", "365", "GFR"]) == (["USA", "COW315", "RUS", "GFR"], [2, 315, 365, 260])
    assert parse_at("1949") == D(1949, 12, 31)
    assert parse_at("1949-02") == D(1949, 2, 28)
    assert parse_at("1949-03-31") == D(1949, 3, 31)


def test_read_capitals_names_the_bad_line(tmp_path):
    p = tmp_path / "caps.csv"
    p.write_text("ccode,capital,stdate,enddate,lat,lng\n2,Washington,1816-01-01,2024-12-31,38.9,-77.0\n"
                 "20,Ottawa,1867-01-01,2024-12-31,north,-75.7\n")
    with pytest.raises(InputError, match=r"caps.csv:3: column lat is 'north' \(expected a latitude\)"):
        read_capitals(p)
    p.write_text("ccode,capital,lat\n2,Washington,38.9\n")
    with pytest.raises(InputError, match="missing stdate, enddate, lng"):
        read_capitals(p)


# ------------------------------------------------------------------------ with the shared data
@pytest.fixture(scope="module")
def real(shared):
    cov = shared / "covariates"
    return read_field_data(atop=shared / "atop5_1" / "atop5_1m.csv", rivalries=cov / "td_rivalries.csv",
                           contiguity=cov / "cow_contdir.csv", capabilities=cov / "cow_nmc_v7.csv.gz",
                           capitals=cov / "cow_capitals.csv")


def test_europe_1938_from_the_release_files(real):
    land = landscape_from_data("1938-12-31", ["GBR", "FRA", "DEU", "POL", "RUS", "COW315"], real, ties=[])
    ev = land.provenance["evidence"]
    assert ev["rivalry"]["DEU-POL"] == ["Germany-Poland"]
    assert ev["rivalry"]["DEU-RUS"] == ["Germany-Russia 2"]
    assert ev["contiguity"]["COW315-DEU"] == ["conttype 1"]
    assert land.provenance["cinc_year"] == dict.fromkeys(land.labels, 1938)
    comps = land.provenance["components"]
    i, j = land.index("FRA"), land.index("RUS")
    assert comps["alliance"][i][j] > 0  # the Franco-Soviet treaty of 1935


def test_cli_from_data_explain_json(shared):
    cov = shared / "covariates"
    args = ["from-data", "--at", "1938-12-31", "--actors", "GBR,FRA,DEU,ITA,RUS", "--no-kb",
            "--atop", str(shared / "atop5_1" / "atop5_1m.csv"), "--rivalries", str(cov / "td_rivalries.csv"),
            "--contiguity", str(cov / "cow_contdir.csv"), "--capabilities", str(cov / "cow_nmc_v7.csv.gz"),
            "--capitals", str(cov / "cow_capitals.csv"), "--weight", "parity=0", "--seed", "1"]
    r = CliRunner().invoke(landscape, [*args, "--explain", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["provenance"]["weights"]["parity"] == 0.0
    assert d["explain"] and all(row["parity"] == 0.0 for row in d["explain"])
    assert d["minima"][0]["global"] is True
    r = CliRunner().invoke(landscape, [*args, "--explain"])
    assert r.exit_code == 0 and "Propensities by component" in r.output
    r = CliRunner().invoke(landscape, [*args, "--weight", "borders=1"])
    assert r.exit_code == 2
    assert "Error: weights: unknown component 'borders'" in r.output
    r = CliRunner().invoke(landscape, [*args, "--weight", "parity"])
    assert r.exit_code == 2 and "Invalid value for '--weight': 'parity': expected NAME=VALUE" in r.output


@pytest.mark.slow
def test_store_and_files_give_the_same_landscape(shared, real, tmp_path):
    from pactnet.imports import import_dataset
    from pactnet.landscape.fielddata import load_field_data
    from pactnet.store import Store

    cov = shared / "covariates"
    store = Store(tmp_path / "s.duckdb")
    import_dataset("atop", shared / "atop5_1" / "atop5_1m.csv", db=store)
    import_dataset("rivalries", cov / "td_rivalries.csv", db=store)
    import_dataset("contiguity", cov / "cow_contdir.csv", db=store)
    import_dataset("nmc", cov / "cow_nmc_v7.csv.gz", db=store)
    stored = load_field_data(store, capitals=cov / "cow_capitals.csv")
    assert stored.sources["atop"] == "store table atop_members"
    actors = ["USA", "GBR", "FRA", "RUS", "POL", "COW315"]
    a = landscape_from_data("1949-03-31", actors, stored, ties=[])
    b = landscape_from_data("1949-03-31", actors, real, ties=[])
    assert np.allclose(a.propensity, b.propensity) and np.allclose(a.sizes, b.sizes)
    assert a.provenance["evidence"] == b.provenance["evidence"]
