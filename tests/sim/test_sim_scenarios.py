"""Scenarios: the shipped ones load and hash, and malformed files fail naming the key and what was expected."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from pactnet.sim.scenario import ScenarioError, load_scenario, shipped_scenarios

SHIPPED = ("historical-2000", "contraction", "no-2022-invasion", "taiwan-strait-crisis", "asean-pressure")

GOOD = """\
name: tiny
start: 2000
end: 2005
salience:
  gwot: [[2000, 0.1], [2001, 1.0]]
rivals:
  RUS: {neighbours: [FIN], aggression: [[2000, 0.2]]}
shocks:
  - {year: 2001, kind: attack, campaign: gwot, magnitude: 0.5}
"""


def write(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_every_shipped_scenario_loads():
    assert set(SHIPPED) <= set(shipped_scenarios())
    for name in SHIPPED:
        sc = load_scenario(name)
        assert sc.name == name and sc.end > sc.start and len(sc.hash) == 64


def test_the_hash_follows_the_content(tmp_path):
    a = load_scenario(write(tmp_path, GOOD))
    assert a.hash == load_scenario(write(tmp_path, GOOD)).hash
    b = load_scenario(write(tmp_path, GOOD.replace("magnitude: 0.5", "magnitude: 0.6")))
    assert a.hash != b.hash


def test_the_counterfactual_differs_from_history_only_by_the_2022_invasion():
    hist, cf = load_scenario("historical-2000").data, load_scenario("no-2022-invasion").data
    strip = {"name", "description", "shocks"}
    assert {k: v for k, v in hist.items() if k not in strip} == {k: v for k, v in cf.items() if k not in strip}
    removed = [s for s in hist["shocks"] if s not in cf["shocks"]]
    assert removed == [{"kind": "invasion", "year": 2022, "magnitude": 1.0, "aggressor": "RUS", "target": "UKR"}]
    assert all(s in hist["shocks"] for s in cf["shocks"])


@pytest.mark.parametrize(("old", "new", "key", "expected"), [
    ("name: tiny\n", "nam: tiny\n", "nam", "one of the keys"),
    ("end: 2005", "end: 1999", "end", "a year after start (2000)"),
    ("end: 2005", "end: soon", "end", "a year (an integer 1900-2200)"),
    ("[[2000, 0.1], [2001, 1.0]]", "[[2001, 0.1], [2000, 1.0]]", "salience.gwot[1][0]", "a year after 2001"),
    ("[[2000, 0.1], [2001, 1.0]]", "[[2000, 0.1], [2001, 3.0]]", "salience.gwot[1][1]", "a number in [0.0, 1.0]"),
    ("  gwot: [[", "  terror: [[", "salience.terror", "a campaign"),
    ("kind: attack", "kind: coup", "shocks[0].kind", "one of attack, invasion, withdrawal"),
    ("campaign: gwot, magnitude", "campaign: gwot, size", "shocks[0].size", "for a attack shock"),
    ("campaign: gwot, ", "", "shocks[0].campaign", "year, campaign"),
    ("{neighbours: [FIN]", "{neighbors: [FIN]", "rivals.RUS.neighbors", "one of aggression, neighbours"),
])
def test_a_malformed_scenario_names_the_key_and_what_was_expected(tmp_path, old, new, key, expected):
    assert old in GOOD
    with pytest.raises(ScenarioError) as err:
        load_scenario(write(tmp_path, GOOD.replace(old, new, 1)))
    message = str(err.value)
    assert "s.yaml:" in message and f"field {key}" in message and expected in message


def test_an_unknown_parameter_and_one_out_of_range(tmp_path):
    with pytest.raises(ScenarioError, match=r"field params.*unknown parameter 'fad'"):
        load_scenario(write(tmp_path, GOOD + "params: {fad: 1.0}\n"))
    with pytest.raises(ScenarioError, match=r"field params.fade: expected a value in \[0, 6\], got 9"):
        load_scenario(write(tmp_path, GOOD + "params: {fade: 9}\n"))


def test_an_invasion_by_an_undeclared_rival(tmp_path):
    text = GOOD + "  - {year: 2003, kind: invasion, aggressor: CHN, target: TWN}\n"
    with pytest.raises(ScenarioError, match=r"field shocks\[1\].aggressor.*expected a rival named under rivals"):
        load_scenario(write(tmp_path, text))


def test_yaml_syntax_errors_are_located(tmp_path):
    with pytest.raises(ScenarioError, match=r"s.yaml:\d+: YAML syntax error"):
        load_scenario(write(tmp_path, GOOD + "shocks: [\n"))


def test_an_unknown_scenario_name_lists_the_shipped_ones():
    from pactnet.errors import InputError

    with pytest.raises(InputError, match="historical-2000"):
        load_scenario("historical-1900")


def test_the_cli_prints_the_error_and_exits_2(tmp_path):
    from pactnet.cli.sim import sim

    path = write(tmp_path, GOOD.replace("kind: attack", "kind: coup"))
    res = CliRunner().invoke(sim, ["run", str(path), "--out", str(tmp_path / "o.parquet")])
    assert res.exit_code == 2
    assert "Error:" in res.output and "shocks[0].kind" in res.output and "expected one of attack" in res.output


def test_an_unknown_actor_is_named_when_the_scenario_is_compiled(tmp_path, kb_store):
    from pactnet.sim.ensemble import prepare

    path = write(tmp_path, GOOD.replace("neighbours: [FIN]", "neighbours: [FIN, XYZ]"))
    with pytest.raises(ScenarioError, match=r"field rivals.RUS.neighbours: unknown actor or region.*got 'XYZ'"):
        prepare(path, db=kb_store)
