"""A small knowledge base whose indicator values can be worked out by hand (see test_formulas.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_kb

MINI = {
    "sources.yaml": """\
        sources:
          - id: briefing
            kind: briefing
            citation: "The briefing"
            locators: [L25, L37, L43, L45, L49]
          - id: ref
            kind: reference
            citation: "A reference work"
        """,
    "actors.yaml": """\
        actors:
          - {id: USA, name: United States, kind: state, ccode: 2, iso3: USA, sources: ["ref@p. 1"]}
          - {id: FIN, name: Finland, kind: state, ccode: 375, iso3: FIN, sources: ["ref@p. 1"]}
          - {id: UKR, name: Ukraine, kind: state, ccode: 369, iso3: UKR, sources: ["ref@p. 1"]}
          - {id: RUS, name: Russia, kind: state, ccode: 365, iso3: RUS, sources: ["ref@p. 1"]}
          - {id: PAK, name: Pakistan, kind: state, ccode: 770, iso3: PAK, sources: ["ref@p. 1"]}
          - {id: ISI, name: Inter-Services Intelligence, kind: state_agency, parent: PAK, sources: ["ref@p. 1"]}
          - {id: TALIBAN, name: Taliban, kind: nsag, sources: ["ref@p. 1"]}
          - {id: NATO, name: NATO, kind: alliance_organisation, sources: ["ref@p. 1"]}
        """,
    "ties.yaml": """\
        ties:
          - {id: usa-nato, source: USA, target: NATO, kind: alliance_membership, drivers: [cold_war],
             start: 1949-08-24, sources: ["ref@p. 2"]}
          - {id: fin-nato, source: FIN, target: NATO, kind: alliance_membership, drivers: [great_power_competition],
             start: 2023-04-04, sources: ["ref@p. 2"]}
          - {id: fin-nato-pfp, source: FIN, target: NATO, kind: partner_status, drivers: [great_power_competition],
             contents: [interoperability, exercises],
             start: 1994, end: 2023-04-04, sources: ["ref@p. 2"]}
          - {id: usa-fin-coop, source: USA, target: FIN, kind: defense_cooperation, drivers: [great_power_competition],
             contents: [exercises, intel_sharing], start: 2016, sources: ["briefing@L49"]}
          - {id: usa-ukr, source: USA, target: UKR, kind: capacity_building, drivers: [great_power_competition],
             contents: [weapons, training, capacity_building], start: 2014, sources: ["briefing@L45"]}
          - {id: rus-ukr-war, source: RUS, target: UKR, kind: armed_conflict, drivers: [great_power_competition],
             start: 2014-02, sources: ["briefing@L45"]}
          - {id: usa-rus-rivalry, source: USA, target: RUS, kind: rivalry, drivers: [great_power_competition],
             start: 2014, sources: ["ref@p. 3"]}
          - {id: usa-pak-ct, source: USA, target: PAK, kind: counter_terrorism, drivers: [gwot],
             contents: [intel_sharing, overflight, weapons], start: 2001-10, end: 2018-01-04, sources: ["briefing@L25"]}
          - {id: isi-taliban, source: ISI, target: TALIBAN, kind: covert_support, drivers: [regional_rivalry],
             start: 2001-10, sources: ["briefing@L37"]}
          - {id: usa-taliban, source: USA, target: TALIBAN, kind: armed_conflict, drivers: [gwot], start: 2001-10-07,
             end: 2021-08-30, sources: ["briefing@L37"]}
          - {id: rus-pak-arms, source: RUS, target: PAK, kind: arms_supply, drivers: [great_power_competition],
             contents: [weapons], start: 2015,
             sources: ["ref@p. 4"]}
        """,
    "context.yaml": """\
        attributes:
          - {actor: RUS, attribute: revisionist, value: true, start: "2015-07-01", end: open, sources: ["ref@p. 5"]}
          - {actor: UKR, attribute: contiguity, other: RUS, value: 1, start: "1991-12-27", end: open,
             sources: ["ref@p. 6"]}
          - {actor: FIN, attribute: contiguity, other: RUS, value: 1, start: "1991-12-27", end: open,
             sources: ["ref@p. 6"]}
          - {actor: PAK, attribute: nuclear_weapons, value: true, start: "1998-05-28", end: open,
             sources: ["ref@p. 7"]}
        """,
}


@pytest.fixture
def mini_kb(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "mini", MINI)


@pytest.fixture
def mini_store(tmp_path: Path, mini_kb: Path):
    from pactnet.store import Store

    store = Store(tmp_path / "mini.duckdb", mini_kb)
    store.build()
    return store
