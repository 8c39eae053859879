"""The historical cases: definitions, scoring, and the docs' tables against the script that makes them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polars as pl
import pytest

from pactnet.errors import InputError
from pactnet.landscape.cases import EUROPE_1936
from pactnet.landscape.fielddata import FieldData
from pactnet.landscape.history import HISTORY_CASES, HistoryCase, score_case

DOCS = Path(__file__).resolve().parents[2] / "docs"


def load_script():
    spec = importlib.util.spec_from_file_location("make_landscape_history", DOCS / "make_landscape_history.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cases_are_well_formed():
    assert set(HISTORY_CASES) == {"europe-1939", "blocs-1955", "sanctions-2022"}
    ww2 = HISTORY_CASES["europe-1939"]
    # the paper's coding of the outcome, with the paper's nations
    names = {ww2.names[a] for a in ww2.sides["Axis"]}
    assert names == set(EUROPE_1936["actual"]["Axis"])
    assert {ww2.names[a] for a in ww2.actors} == set(EUROPE_1936["labels"])
    for c in HISTORY_CASES.values():
        assert c.at < {"europe-1939": "1939-09-01", "blocs-1955": "1949-04-04", "sanctions-2022": "2022-02-24"}[c.key]
        assert set(c.names) >= set(c.actors)
    with pytest.raises(InputError, match="an actor is on both sides"):
        HistoryCase("x", "x", "1950", {"a": ("USA",), "b": ("USA", "RUS")}, "USA", {}, "")
    with pytest.raises(InputError, match="anchor CHN"):
        HistoryCase("x", "x", "1950", {"a": ("USA",), "b": ("RUS",)}, "CHN", {}, "")


def test_score_counts_sides_from_the_anchor():
    # two friends against a rival: the model must put USA and CAN together, RUS apart
    case = HistoryCase("toy", "toy", "1950", {"West": ("USA", "CAN"), "East": ("RUS",)}, "RUS",
                       {"USA": "US", "CAN": "Canada", "RUS": "USSR"}, "by construction")
    riv = pl.DataFrame({"ccode1": [2], "ccode2": [365], "styear": [1945], "endyear": [1989],
                        "rivalryname": ["Russia-United States 1"]})
    cap = pl.DataFrame({"ccode": [2, 20, 365], "year": [1950] * 3, "cinc": [0.3, 0.02, 0.2]})
    ties = [{"id": "t", "source": "USA", "target": "CAN", "level": "guarantee"}]
    r = score_case(case, FieldData(rivalries=riv, capabilities=cap), ties=ties, basins=False)
    assert r["correct"] == 3 and r["baseline"] == 2 and r["n"] == 3
    assert [row["predicted"] for row in r["rows"]] == ["West", "West", "East"]


@pytest.mark.slow
def test_docs_history_tables_have_not_drifted(shared, kb_store):
    script = load_script()
    text = (DOCS / "landscape.md").read_text(encoding="utf-8")
    assert script.BEGIN in text and script.END in text
    assert script.current_block(text) == script.render(shared, kb_store), (
        "docs/landscape.md's history tables differ from what the script makes now: "
        "run python docs/make_landscape_history.py")
