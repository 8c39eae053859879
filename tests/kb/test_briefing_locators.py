"""Every citation of the briefing points at the paragraph it claims, and that paragraph names the tie.

The briefing is one paragraph a line (``shared/seed/us-security-partnerships-briefing.txt``): ``briefing@L<n>``
is line *n*, ``briefing@EN<k>`` is endnote *k* (on line 73 + 2k). These tests check, for the shipped
knowledge base, that

* every ``L<n>`` is a non-blank body paragraph (not a section heading, not an endnote - endnotes are cited as
  ``EN<k>``), and every ``EN<k>`` is one of the twelve endnotes;
* a tie citing briefing lines is named in at least one of them: one of its two actors (id, name or an alias)
  appears in a cited line. Because "US" occurs in almost every paragraph, the check is made on the tie's
  *partner*: for a tie with the United States at one end the other actor must be named; for any other tie
  either actor will do. The few ties that rest on an inference the briefing does not spell out are listed in
  ``INFERRED`` with the reason, and each must carry a ``note`` explaining it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pactnet.kb import load_kb

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "us-security-partnerships-briefing.txt"

N_ENDNOTES = 12
HUB = "USA"  # named in nearly every paragraph, so it proves nothing on its own

#: Ties whose cited briefing lines do not name the partner, because the record identifies a member of a
#: group the briefing names only collectively, or an operation behind a campaign it names only in general.
INFERRED = {
    "usa-uzb-ct": "Uzbekistan is one of the unnamed 'multiple Central Asian states' (L25, L39).",
    "uzb-usa-k2": "Karshi-Khanabad is the Uzbek base of the unnamed 'Central Asia footprint' (L25).",
    "usa-tjk-ct": "Tajikistan is one of the unnamed 'multiple Central Asian states' (L25, L39).",
    "usa-kaz-ct": "Kazakhstan is one of the unnamed 'multiple Central Asian states' (L25, L39).",
    "usa-tkm-ct": "Turkmenistan is one of the unnamed 'multiple Central Asian states' (L25, L39).",
    "usa-bhr-dca": "Bahrain is one of the unnamed 'multiple alliances in the Persian Gulf' (L11, L17).",
    "usa-kwt-dca": "Kuwait is one of the unnamed 'multiple alliances in the Persian Gulf' (L11, L17).",
    "ji-idn-conflict": "JI is the unnamed perpetrator of 'the Bali bombings' (L27); Bali is in Indonesia.",
    "usa-ctf151": "CTF-151 is one of the US coalitions 'designed ad hoc for ... counter-piracy operations' (L21, L23).",
    "usa-ocean-shield": "Ocean Shield is one of the counter-piracy coalitions of L21; the briefing names none.",
}

_HEADING_MAX_WORDS = 8


def _norm(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


@pytest.fixture(scope="module")
def seed() -> list[str]:
    if not SEED.is_file():
        pytest.skip(f"the briefing seed text is not available at {SEED} (the shared folder is not mounted)")
    return [_norm(line.rstrip("\n")) for line in SEED.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _endnotes_start(seed: list[str]) -> int:
    """1-based line number of the 'Endnotes' heading."""
    return next(i for i, line in enumerate(seed, 1) if line.strip() == "Endnotes")


def _briefing_citations(kb):
    """(record, where, locator) for every briefing citation: actors, ties and their phases, events; both views."""
    for a in kb.actors.values():
        for c in a["sources"]:
            yield a["id"], "actor", c
    for t in kb.ties:
        for c in t["sources"]:
            yield t["id"], f"tie ({t['view']})", c
        for i, p in enumerate(t["phases"], 1):
            for c in p["sources"]:
                yield t["id"], f"tie phase {i}", c
    for e in kb.events:
        for c in e["sources"]:
            yield e["id"], f"event ({e['view']})", c


def _locators(cites):
    return [c.split("@", 1)[1] for c in cites if c.startswith("briefing@")]


def test_every_briefing_locator_points_at_a_paragraph(seed, kb):
    end_body = _endnotes_start(seed)
    bad = []
    n_checked = 0
    for rid, where, cite in _briefing_citations(kb):
        if not cite.startswith("briefing@"):
            continue
        n_checked += 1
        loc = cite.split("@", 1)[1]
        if m := re.fullmatch(r"L(\d+)", loc):
            n = int(m.group(1))
            if not 1 <= n < end_body:
                bad.append(f"{rid} [{where}] {loc}: outside the body (lines 1-{end_body - 1}; cite endnotes as EN<k>)")
                continue
            text = seed[n - 1].strip()
            if not text:
                bad.append(f"{rid} [{where}] {loc}: blank line")
            elif len(text.split()) <= _HEADING_MAX_WORDS:
                bad.append(f"{rid} [{where}] {loc}: section heading {text!r}")
        elif m := re.fullmatch(r"EN(\d+)", loc):
            k = int(m.group(1))
            if not 1 <= k <= N_ENDNOTES:
                bad.append(f"{rid} [{where}] {loc}: no endnote {k} (1-{N_ENDNOTES})")
            elif not seed[73 + 2 * k - 1].startswith(f"[{k}] "):
                bad.append(f"{rid} [{where}] {loc}: line {73 + 2 * k} is not endnote [{k}]")
        else:
            bad.append(f"{rid} [{where}] {loc}: not an L<n> or EN<k> locator")
    assert n_checked > 100
    assert not bad, "bad briefing locators:\n" + "\n".join(bad)


def _names(kb, actor_id: str) -> list[str]:
    a = kb.actors[actor_id]
    return [actor_id, _norm(a["name"]), *(_norm(x) for x in a["aliases"])]


def _named(kb, actor_id: str, text: str) -> bool:
    return any(re.search(r"(?<![A-Za-z])" + re.escape(n) + r"(?![a-z])", text) for n in _names(kb, actor_id))


def _unnamed_ties(kb, seed):
    """Tie ids (with the view) whose cited briefing lines name neither partner."""
    out = {}
    for t in kb.ties:
        cites = list(t["sources"]) + [c for p in t["phases"] for c in p["sources"]]
        lines = [int(loc[1:]) for loc in _locators(cites) if loc.startswith("L")]
        if not lines:
            continue
        ends = [a for a in (t["source"], t["target"]) if a != HUB] or [t["source"], t["target"]]
        if not any(_named(kb, a, seed[n - 1]) for n in lines for a in ends):
            out.setdefault(t["id"], []).append((t["view"], ends, sorted(set(lines))))
    return out


def test_a_tie_citing_the_briefing_is_named_in_a_cited_line(seed, kb):
    unnamed = _unnamed_ties(kb, seed)
    unexplained = {tid: v for tid, v in unnamed.items() if tid not in INFERRED}
    assert not unexplained, "ties whose cited briefing lines name neither partner (fix the line, or add the " \
        "tie to INFERRED with a reason and explain the inference in its note):\n" + "\n".join(
            f"{tid}: {v}" for tid, v in sorted(unexplained.items()))


def test_the_inferred_ties_are_still_inferred_and_explained(seed, kb):
    unnamed = _unnamed_ties(kb, seed)
    by_id = {t["id"]: t for t in kb.ties if t["view"] == "record"}
    stale = sorted(tid for tid in INFERRED if tid not in unnamed)
    assert not stale, f"INFERRED lists ties whose partner the briefing does name (drop them): {stale}"
    unexplained = sorted(tid for tid in INFERRED if not (by_id.get(tid) or {}).get("note"))
    assert not unexplained, f"inferred ties without a note explaining the inference: {unexplained}"
    assert all(reason.strip() for reason in INFERRED.values())
