"""``pactnet sim``: run, fan, compare and hindcast through the CLI, and the docs' parameter table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pactnet.cli.sim import sim
from pactnet.sim.model import PARAMETERS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "model.md"


@pytest.fixture(scope="module")
def ensembles(kb_store, tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    runner = CliRunner()
    out = {}
    for name in ("historical-2000", "no-2022-invasion"):
        path = root / f"{name}.parquet"
        res = runner.invoke(sim, ["run", name, "-n", "150", "--seed", "4", "--out", str(path), "--batch-size", "75",
                                  "--workers", "1", "--no-progress", "--db", str(kb_store.path)])
        assert res.exit_code == 0, res.output
        out[name] = path
    return out


def test_fan_table_and_chart(ensembles, tmp_path):
    pytest.importorskip("matplotlib")
    fig = tmp_path / "fan.png"
    res = CliRunner().invoke(sim, ["fan", str(ensembles["historical-2000"]), "--figure", str(fig),
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {r["level"] for r in rows} == {"transactional", "ad_hoc", "structured", "assurance", "guarantee"}
    assert all(r["q05"] <= r["q50"] <= r["q95"] for r in rows)
    assert fig.stat().st_size > 10_000


def test_per_partner_probabilities(ensembles):
    res = CliRunner().invoke(sim, ["fan", str(ensembles["historical-2000"]), "--partners", "--partner", "FIN",
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = {r["year"]: r for r in json.loads(res.stdout)}
    assert set(rows) == set(range(2001, 2025)) and all(r["partner"] == "FIN" for r in rows.values())
    def moves_up(r):
        return r["p_upgrade"] + r["p_formation"]

    assert moves_up(rows[2022]) > 0.5 > 0.1 > moves_up(rows[2019])
    assert all(0 <= r["p_upgrade"] + r["p_exit"] + r["p_formation"] + r["p_downgrade"] <= 1 for r in rows.values())
    bad = CliRunner().invoke(sim, ["fan", str(ensembles["historical-2000"]), "--partners", "--partner", "XXX"])
    assert bad.exit_code == 2 and "not a partner of this ensemble: XXX" in bad.output


def test_compare_with_intervals(ensembles):
    res = CliRunner().invoke(sim, ["compare", str(ensembles["historical-2000"]), str(ensembles["no-2022-invasion"]),
                                   "--year", "2024", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = {r["level"]: r for r in json.loads(res.stdout)}
    g = rows["guarantee"]
    assert g["low"] <= g["difference"] <= g["high"]
    assert g["high"] < 0            # without the invasion, fewer guarantees in 2024 (Finland, Sweden)


def test_hindcast_json(kb_store):
    res = CliRunner().invoke(sim, ["hindcast", "-n", "40", "--no-calibrate", "--format", "json",
                                   "--db", str(kb_store.path)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    keys = {"brier_model", "brier_persistence", "brier_base_rate", "share_reproduced"}
    assert [p["period"] for p in data["periods"]] == ["in_sample", "out_of_sample"]
    assert all(keys <= set(p) for p in data["periods"])


def test_the_docs_list_every_parameter_with_its_default_and_range():
    text = DOCS.read_text(encoding="utf-8")
    for p in PARAMETERS.values():
        row = re.search(rf"^\| `{p.name}`[^|]*\| ([^|]+) \| ([^|]+) \|", text, re.M)
        assert row, f"docs/model.md lacks a row for {p.name}"
        if not isinstance(p.default, tuple):
            assert float(row.group(1)) == p.default, p.name
            lo, hi = (float(x) for x in row.group(2).strip(" []").split(","))
            assert (lo, hi) == (p.low, p.high), p.name
        if p.prior is not None:
            line = text[row.start():text.index("\n", row.start())]
            assert f"(prior {p.prior})" in line and "†" in line, p.name
