"""``pactnet indicators``: exit codes, formats and messages."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pactnet.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, ["indicators", *args])


@pytest.fixture
def mini_args(mini_store):
    return ["--db", str(mini_store.path), "--kb", str(mini_store.kb_dir)]


def test_json_at_a_date(mini_args):
    result = _run("--patron", "USA", "--at", "2021-12-31", "--format", "json", *mini_args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["actor"] for r in rows} == {"FIN", "UKR"}
    assert rows[0]["date"] == "2021-12-31" and "halfway_house_exposure" in rows[0] and "betweenness" in rows[0]
    assert [r["actor"] for r in rows] == ["FIN", "UKR"]  # ranked by deterrence credibility (0.6, 0.4)


def test_series_for_one_actor_as_csv(mini_args, tmp_path):
    out = tmp_path / "pak.csv"
    result = _run("--actor", "PAK", "--from", "2000", "--to", "2024", "--format", "csv", "-o", str(out), *mini_args)
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0].startswith("patron,actor,name,date,deterrence_credibility")
    assert len(lines) == 1 + 17  # 2001-2017


def test_parquet_needs_out(mini_args):
    result = _run("--at", "2021", "--format", "parquet", *mini_args)
    assert result.exit_code == 2 and "the parquet format needs an output file" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--actor", "XYZ"], "Error: actor: unknown actor 'XYZ' (see 'pactnet actors')"),
    (["--at", "2021-99"], "Error: Invalid value for '--at': '2021-99' is not a date"),
    (["--sort", "charm"], "Error: --sort: unknown indicator 'charm'"),
    (["--weight", "covert"], "Error: Invalid value for '--weight': 'covert': expected NAME=VALUE"),
    (["--weight", "charm=1"], "Error: weights: unknown weight 'charm'"),
])
def test_errors(mini_args, args, message):
    result = _run(*args, *mini_args)
    assert result.exit_code == 2
    assert message in result.output


def test_figure(mini_args, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "fig.png"
    result = _run("--actor", "PAK", "--actor", "UKR", "--from", "2000", "--figure", str(out), "--plot", "hedging",
                  *mini_args)
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    result = _run("--actor", "PAK", "--figure", str(out), "--plot", "charm", *mini_args)
    assert result.exit_code == 2 and "indicator: unknown indicator 'charm'" in result.output


def test_sensitivity_json(mini_args):
    result = _run("--sensitivity", "--at", "2021-12-31", "--format", "json", *mini_args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"rankings", "judgements", "summary"}
    assert {r["weight"] for r in data["rankings"]} >= {"covert", "hostility", "ambiguity"}
