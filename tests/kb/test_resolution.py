"""The validator's exact output where its fast paths could change it: whole error messages and their order,
the caches of dates and citations, the sweep of the overlap rule, and the cyclic GC it pauses."""

from __future__ import annotations

import datetime as dt
import gc
import textwrap

import pytest

from pactnet import schema as S
from pactnet.errors import ValidationError
from pactnet.kb import load_kb
from tests.conftest import TINY, write_kb


def _kb(tmp_path, *replacements: tuple[str, str], extra_ties: str = "", sources: tuple[str, str] | None = None):
    files = dict(TINY)
    text = textwrap.dedent(files["ties.yaml"])
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    files["ties.yaml"] = text.replace("events:\n", extra_ties + "events:\n", 1)
    if sources is not None:
        src = textwrap.dedent(files["sources.yaml"])
        assert sources[0] in src, sources[0]
        files["sources.yaml"] = src.replace(*sources, 1)
    return write_kb(tmp_path / "kb", files)


def _messages(tmp_path, *replacements, **kw) -> list[str]:
    with pytest.raises(ValidationError) as info:
        load_kb(_kb(tmp_path, *replacements, **kw))
    return [str(e).split("ties.yaml:", 1)[-1] for e in info.value.all_errors]


@pytest.mark.parametrize(("old", "new", "messages"), [
    ("start: 2022-05\n", "start: May 2022\n", [
        "22, record usa-fin-assurance, field start: not a date (expected YYYY-MM-DD, YYYY-MM, YYYY or ~YYYY, "
        "got 'May 2022')"]),
    ("start: 2022-05\n", "start: 2022-02-30\n", [
        "22, record usa-fin-assurance, field start: not a date (expected YYYY-MM-DD, YYYY-MM, YYYY or ~YYYY, "
        "got '2022-02-30')"]),
    ("end_reason: accession", "end_reason: bored", [
        "24, record usa-fin-assurance, field end_reason: unknown value 'bored' (expected one of accession, "
        "breakdown, dissolution, driver_lost_salience, expired, revocation, superseded, suspension, termination, "
        "upgraded, withdrawal, got 'bored')"]),
    ("drivers: [great_power_competition]\n    start: 2022-05", "drivers: [great_power_competition, terror]\n"
     "    start: 2022-05", [
        "21, record usa-fin-assurance, field drivers: unknown value 'terror' (expected one of arab_israeli_peace, "
        "cold_war, counter_piracy, economic, great_power_competition, gwot, peacekeeping, "
        "post_cold_war_enlargement, regional_rivalry, stabilisation, war_on_drugs, got 'terror')"]),
    ('sources: ["briefing@L43"]', 'sources: ["brefing@L43", "briefing", "briefing@L44", "treaty@Art. 5"]', [
        "25, record usa-fin-assurance, field sources: cites unknown source 'brefing' (expected the id of a record "
        "in sources:, got 'brefing')",
        "25, record usa-fin-assurance, field sources: citation 'briefing' has no locator (write "
        "'briefing@<paragraph, page or section>') (expected 'source@locator')",
        "25, record usa-fin-assurance, field sources: briefing has no locator 'L44' (expected one of L7, L11, L23, "
        "L25 ... L43 (6 in all), got 'briefing@L44')"]),
    ("  - id: fin-nato\n", "  - id: usa-nato\n", [
        "10, record usa-nato, field id: duplicate tie id (first defined at kb/ties.yaml:2)",
        "57, record fin-accession, field ties: tie 'fin-nato' is not defined"]),
    ("    vital: true", "    vitally: true", [
        "8, record usa-nato, field vitally: unknown field 'vitally' (expected one of agent, briefing, contents, "
        "directed, drivers, drivers_reason, end, end_reason, flows, id, kind, level, note, phases, programme, "
        "source, sources, start, status, successor, target, via, views, vital)"]),
    ("    kind: security_assurance\n", "", [  # found twice (fields, vocabulary), reported once
        "17, record usa-fin-assurance, field kind: required field is missing"]),
])
def test_whole_error_messages(tmp_path, monkeypatch, old, new, messages):
    monkeypatch.chdir(tmp_path)
    assert _messages(tmp_path, (old, new)) == messages


def test_a_citation_is_checked_against_each_knowledge_base_it_is_loaded_with(tmp_path):
    # The same citation text is valid in one knowledge base and refers to a missing locator in the next: parsed
    # citations may be reused, their check against the sources may not.
    assert load_kb(_kb(tmp_path / "a"))
    with pytest.raises(ValidationError, match=r"briefing has no locator 'L43' \(expected one of L7, L11, L23, L25 "
                                              r"\.\.\. L37 \(5 in all\), got 'briefing@L43'\)"):
        load_kb(_kb(tmp_path / "b", sources=("L37, L43]", "L37]")))


SAME_PAIR = """\
  - id: {id}
    source: USA
    target: FIN
    kind: security_assurance
    drivers: [great_power_competition]
    start: {start}
{end}    sources: ["briefing@L43"]
"""


def _tie(tid: str, start: str, end: str | None = None) -> str:
    return SAME_PAIR.format(id=tid, start=start, end=f"    end: {end}\n" if end else "")


def test_overlaps_are_reported_for_every_later_tie_that_starts_before_the_end(tmp_path):
    # usa-fin-assurance holds 2022-05 to 2023-04-04. An open tie from 2023-05 overlaps the two after it; one
    # ending 2030 is overlapped by 2029 but not by 2031, which starts after it ended.
    extra = (_tie("usa-fin-a2", "2023-05", None) + _tie("usa-fin-a3", "2029", "2030")
             + _tie("usa-fin-a4", "2031", "2032"))
    with pytest.raises(ValidationError) as info:
        load_kb(_kb(tmp_path, extra_ties=extra))
    got = [(e.record, e.detail, e.expected) for e in info.value.all_errors]
    hint = "; model an upgrade as a phase, or end the first tie with a successor"
    assert got == [
        ("usa-fin-a3", "security_assurance tie overlaps usa-fin-a2 (2023-05 to open) in the record view",
         "a start on or after its end (the first day usa-fin-a2 no longer holds)" + hint),
        ("usa-fin-a4", "security_assurance tie overlaps usa-fin-a2 (2023-05 to open) in the record view",
         "a start on or after its end (the first day usa-fin-a2 no longer holds)" + hint),
        ("usa-fin-a3", "security_assurance tie overlaps usa-fin-a2 (2023-05 to open) in the briefing view",
         "a start on or after its end (the first day usa-fin-a2 no longer holds)" + hint),
        ("usa-fin-a4", "security_assurance tie overlaps usa-fin-a2 (2023-05 to open) in the briefing view",
         "a start on or after its end (the first day usa-fin-a2 no longer holds)" + hint),
    ]


def test_the_sweep_stops_at_the_first_tie_starting_after_the_end(tmp_path):
    # Sorted by start: a1 [2022-05, 2023-04-04), a2 [2023-04-04, 2026-01-01), a3 from 2025, a4 from 2027 (ends
    # 2028, after a3's end of 2026-12-31, so it is checked against a3 only once a2's sweep has stopped).
    extra = _tie("usa-fin-a2", "2023-04-04", "2025") + _tie("usa-fin-a3", "2025-06", "2026") + _tie(
        "usa-fin-a4", "2027", "2028")
    with pytest.raises(ValidationError) as info:
        load_kb(_kb(tmp_path, extra_ties=extra))
    assert [(e.record, e.detail.split(" (")[0], e.expected.split(" (")[0]) for e in info.value.all_errors] == [
        ("usa-fin-a3", "security_assurance tie overlaps usa-fin-a2", "a start on or after 2026-01-01"),
        ("usa-fin-a3", "security_assurance tie overlaps usa-fin-a2", "a start on or after 2026-01-01"),
    ]


def test_undirected_ties_of_a_pair_overlap_whichever_end_comes_first(tmp_path):
    treaty = """\
  - id: {id}
    source: {a}
    target: {b}
    kind: mutual_defense_treaty
    drivers: [cold_war]
    start: {start}
    sources: ["treaty@Art. 5"]
"""
    extra = treaty.format(id="fin-usa-mdt", a="FIN", b="USA", start=2001) + treaty.format(
        id="usa-fin-mdt", a="USA", b="FIN", start=2000)
    with pytest.raises(ValidationError) as info:
        load_kb(_kb(tmp_path, extra_ties=extra))
    assert info.value.record == "fin-usa-mdt"
    assert info.value.detail == "mutual_defense_treaty tie overlaps usa-fin-mdt (2000 to open) in the record view"


def test_parse_date_serves_repeated_texts_from_its_cache_and_stays_bounded(monkeypatch):
    monkeypatch.setattr(S, "_DATE_CACHE", {})
    monkeypatch.setattr(S, "_DATE_CACHE_MAX", 3)
    first = S.parse_date("2014-09")
    assert S.parse_date("2014-09") is first
    assert first == S.FuzzyDate(dt.date(2014, 9, 1), dt.date(2014, 9, 30), "month", "2014-09")
    assert S.parse_date(" ~2003 ") == S.FuzzyDate(dt.date(2003, 1, 1), dt.date(2003, 12, 31), "approximate", "~2003")
    for text in ("2001", "2002", "2003", "2004"):
        assert S.parse_date(text).lo == dt.date(int(text), 1, 1)
        assert len(S._DATE_CACHE) <= 3
    for bad in ("2022-02-30", "May 2022"):  # errors are raised again each time, never cached
        for _ in range(2):
            with pytest.raises(ValueError, match="not a (calendar )?date"):
                S.parse_date(bad)
    assert S.parse_date(2022) == S.parse_date("2022")  # other types are parsed, not cached
    assert S.parse_date(dt.date(2022, 5, 18)).precision == "day"
    assert set(S._DATE_CACHE) <= {"2001", "2002", "2003", "2004", "2014-09", " ~2003 ", "2022"}


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("valid", [True, False])
def test_loading_leaves_the_cyclic_gc_as_it_found_it(tmp_path, enabled, valid):
    kb = _kb(tmp_path, *([] if valid else [("start: 2022-05\n", "start: May 2022\n")]))
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        if valid:
            assert load_kb(kb).ties
        else:
            with pytest.raises(ValidationError):
                load_kb(kb)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_a_missing_locator_lists_the_locators_in_reading_order_words_included(tmp_path):
    kb = _kb(tmp_path, ('sources: ["briefing@L43"]', 'sources: ["briefing@L99"]'),
             sources=("locators: [L7, L11, L23, L25, L37, L43]", "locators: [L7, L11, L23, L25, L37, L43, ended]"))
    with pytest.raises(ValidationError) as info:
        load_kb(kb)
    assert ("briefing has no locator 'L99' (expected one of L7, L11, L23, L25 ... ended (7 in all), "
            "got 'briefing@L99')") in str(info.value)


def test_a_briefing_view_with_a_list_for_an_end_is_an_error_not_a_crash(tmp_path):
    view = "    briefing:\n      start: 2008\n"
    kb = _kb(tmp_path, (view, view + "      source: [PAK, USA]\n"))
    (kb / "briefing.yaml").write_text("paragraphs:\n  - id: L23\n    names: [PAK, USA]\n    items: []\n",
                                      encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_kb(kb)
    assert [e.field for e in info.value.all_errors] == ["source"]
    assert "actor ['PAK', 'USA'] is not defined" in str(info.value)
