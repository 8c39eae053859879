"""Shared fixtures: a tiny knowledge base (three states, one alliance, phased and disputed ties) and
stores built from it or from the shipped knowledge base."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("PACTNET_SHARED_DATA", REPO.parent / "shared" / "data"))

TINY = {
    "sources.yaml": """\
        sources:
          - id: briefing
            kind: briefing
            citation: "The briefing"
            locators: [L7, L11, L23, L25, L37, L43]
          - id: treaty
            kind: treaty
            citation: "A treaty"
            address: https://example.org/treaty
        """,
    "actors.yaml": """\
        actors:
          - id: USA
            name: United States
            kind: state
            ccode: 2
            iso3: USA
            region: north_america
            sources: ["briefing@L11"]
          - id: FIN
            name: Finland
            kind: state
            ccode: 375
            iso3: FIN
            region: europe
            sources: ["briefing@L7"]
          - id: PAK
            name: Pakistan
            kind: state
            ccode: 770
            iso3: PAK
            region: south_asia
            sources: ["briefing@L25"]
          - id: NATO
            name: North Atlantic Treaty Organization
            kind: alliance_organisation
            region: europe
            sources: ["briefing@L11"]
        """,
    "ties.yaml": """\
        ties:
          - id: usa-nato
            source: USA
            target: NATO
            kind: alliance_membership
            drivers: [cold_war]
            start: 1949-08-24
            vital: true
            sources: ["treaty@Art. 10"]
          - id: fin-nato
            source: FIN
            target: NATO
            kind: alliance_membership
            drivers: [great_power_competition]
            start: 2023-04-04
            sources: ["treaty@Art. 10"]
          - id: usa-fin-assurance
            source: USA
            target: FIN
            kind: security_assurance
            drivers: [great_power_competition]
            start: 2022-05
            end: 2023-04-04
            end_reason: accession
            sources: ["briefing@L43"]
          - id: usa-pak-gwot
            source: USA
            target: PAK
            kind: counter_terrorism
            drivers: [gwot]
            flows: {USA: [intel_sharing, overflight], PAK: [weapons, training]}
            start: 2001-09
            end: 2021
            end_reason: breakdown
            sources: ["briefing@L25"]
            phases:
              - {start: 2001-09, end: 2004-06, level: ad_hoc, sources: ["briefing@L25"]}
              - {start: 2004-06, end: 2011-05, level: structured, sources: ["briefing@L25"]}
              - {start: 2011-05, end: 2021, level: transactional, status: broken_down, sources: ["briefing@L37"]}
          - id: usa-pak-base
            source: PAK
            target: USA
            kind: basing_access
            drivers: [gwot]
            start: 2002
            end: 2014
            sources: ["briefing@L25"]
            briefing:
              start: 2008
              sources: ["briefing@L23"]
              note: "The briefing dates it 2008."
        events:
          - id: fin-accession
            date: 2023-04-04
            kind: accession
            actors: [FIN, NATO]
            ties: [fin-nato]
            description: Finland joins NATO.
            sources: ["treaty@Art. 10"]
        """,
}


def write_kb(root: Path, files: dict[str, str] | None = None) -> Path:
    """Write a knowledge-base folder (the tiny one by default) and return it."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in (files or TINY).items():
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def tiny_kb(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "kb")


@pytest.fixture
def tiny_store(tmp_path: Path, tiny_kb: Path):
    from pactnet.store import Store

    store = Store(tmp_path / "tiny.duckdb", tiny_kb)
    store.build()
    return store


@pytest.fixture(scope="session")
def kb_store(tmp_path_factory: pytest.TempPathFactory):
    """A store built once from the shipped knowledge base."""
    from pactnet.store import Store

    store = Store(tmp_path_factory.mktemp("shipped") / "pactnet.duckdb")
    store.build()
    return store


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared research data (ATOP, COW, reference outputs); tests that need it skip without it."""
    if not (SHARED_DATA / "atop5_1" / "atop5_1m.csv").exists():
        pytest.skip(f"shared research data not found at {SHARED_DATA} (set PACTNET_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """A path for a fresh store."""
    return tmp_path / "store.duckdb"


@pytest.fixture(autouse=True)
def _private_default_db(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's own store from a test."""
    if "PACTNET_DB" not in os.environ or not os.environ["PACTNET_DB"].startswith(str(tmp_path_factory.getbasetemp())):
        monkeypatch.setenv("PACTNET_DB", str(tmp_path_factory.getbasetemp() / "default.duckdb"))
