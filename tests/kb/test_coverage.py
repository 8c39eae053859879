"""Every briefing paragraph, quote and name in docs/coverage.md is true to the briefing text (that the page is
current is checked in tests/test_docs.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pactnet.kb import load_kb
from pactnet.kb.coverage import coverage_rows

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "us-security-partnerships-briefing.txt"
_HEADING_MAX_WORDS = 8


def _norm(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.fixture(scope="module")
def seed() -> list[str]:
    if not SEED.is_file():
        pytest.skip(f"the briefing seed text is not available at {SEED} (the shared folder is not mounted)")
    return [_norm(line.rstrip("\n")) for line in SEED.read_text(encoding="utf-8").splitlines()]


def test_every_body_paragraph_has_a_coverage_record(kb, seed):
    end_body = next(i for i, line in enumerate(seed, 1) if line.strip() == "Endnotes")
    body = {f"L{i}" for i, line in enumerate(seed[:end_body - 1], 1)
            if line.strip() and len(line.split()) > _HEADING_MAX_WORDS}
    have = {p["id"] for p in kb.paragraphs}
    assert body == have, f"missing: {sorted(body - have)}; not paragraphs: {sorted(have - body)}"
    assert body == {loc for loc in kb.sources["briefing"]["locators"] if loc.startswith("L")}


def test_every_quote_is_in_its_paragraph(kb, seed):
    bad = [(p["id"], it["quote"]) for p in kb.paragraphs for it in p["items"]
           if it["quote"] not in seed[int(p["id"][1:]) - 1]]
    assert not bad, f"quotes not found verbatim in their paragraph: {bad}"


def test_every_named_actor_is_named_in_its_paragraph(kb, seed):
    bad = []
    for p in kb.paragraphs:
        text = seed[int(p["id"][1:]) - 1]
        for a in p["names"]:
            if a in p["quoted"]:
                if p["quoted"][a] not in text:
                    bad.append((p["id"], a, p["quoted"][a]))
                continue
            act = kb.actors[a]
            names = [a, act["name"], *act["aliases"]]
            if not any(re.search(r"(?<![A-Za-z])" + re.escape(_norm(n)) + r"(?![a-z])", text) for n in names):
                bad.append((p["id"], a, None))
    assert not bad, f"names the paragraph does not contain: {bad}"


def test_every_item_is_represented_or_reasoned_and_counted(kb):
    rows = coverage_rows(kb)
    assert len(rows) >= 150
    assert all(r["records"] or (r["reason"] or "").strip() for r in rows)
    c = kb.counts()
    assert c["briefing_items"] == len(rows)
    assert c["briefing_items_represented"] + c["briefing_items_not_represented"] == len(rows)
    # Most of what the briefing names is in the record; the rest are arguments, forecasts and perceptions.
    assert c["briefing_items_represented"] / len(rows) > 0.8


@pytest.mark.parametrize(("loc", "quote", "record"), [
    ("L39", "Moscow exerts military dominance", "rus-cas-dominance"),
    ("L39", "Beijing prioritizes access to the region's national resources", "chn-cas-resources"),
    ("L61", "Taiwan is a primary target for Chinese aggression", "chn-twn-rivalry"),
    ("L31", "assistance for US-aligned Syrian factions", "usa-assad-hostility"),
    ("L39", "the US could respond with military units stationed in proximate regions", "usa-taliban-oth-threat"),
    ("L23", "NATO-led stabilization in Afghanistan", "nato-isaf"),
    ("L33", "was eventually downsized to Operation Resolute Support (ORS) in 2014", "nato-ors"),
    ("L49", "(bilateral, with NATO, in the EU, and in NORDEFCO)", "fin-swe-defense-cooperation"),
    ("L65", "regional stability and trade with China", "aus-chn-trade"),
    ("L63", 'a "balance of influences" between the US, the EU, China and Japan', "asean-eu-dialogue"),
    ("L63", 'a "balance of influences" between the US, the EU, China and Japan', "asean-jpn-dialogue"),
    ("L19", "Skeptical of NATO, the neoconservative policy staff serving under President George W. Bush",
     "bush-nato-scepticism"),
    ("L53", "he regularly chastised NATO", "trump-nato-brussels-2017"),
    ("L53", "exerting pressure on China, especially in trade policy", "us-china-tariffs-2018"),
    ("L11", '"strategic contraction" under President Joe Biden', "biden-afghan-withdrawal-order-2021"),
    ("L27", "After the Bali bombings in October 2002", "JI"),
    ("L45", "without firm US security guarantees or assurances", "usa-ukr-budapest"),
])
def test_the_additions_represent_what_the_briefing_names(kb, loc, quote, record):
    rows = [r for r in coverage_rows(kb) if r["paragraph"] == loc and r["quote"] == quote]
    assert rows and record in rows[0]["records"]
