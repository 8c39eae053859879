"""The cross-record rules: no same-kind overlaps, successions that meet, drivers present or reasoned, briefing
views that cite a paragraph naming the pair, programmes, and the paragraphs records themselves."""

from __future__ import annotations

import textwrap

import pytest

from pactnet.errors import UnknownReference, ValidationError
from pactnet.kb import load_kb
from pactnet.kb.rules import exclusive_end
from pactnet.schema import parse_date
from tests.conftest import TINY, write_kb


def _kb(tmp_path, extra_ties: str = "", *, paragraphs: str | None = None, replace: tuple[str, str] | None = None):
    files = dict(TINY)
    text = textwrap.dedent(files["ties.yaml"])
    if replace:
        assert replace[0] in text, replace[0]
        text = text.replace(*replace, 1)
    files["ties.yaml"] = text.replace("events:\n", extra_ties + "events:\n", 1)
    if paragraphs is not None:
        files["briefing.yaml"] = paragraphs
    return write_kb(tmp_path / "kb", files)


def _error(tmp_path, *args, **kw) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        load_kb(_kb(tmp_path, *args, **kw))
    return info.value


SECOND_ASSURANCE = """\
  - id: usa-fin-assurance-2
    source: USA
    target: FIN
    kind: security_assurance
    drivers: [great_power_competition]
    start: {start}
    sources: ["briefing@L43"]
"""


@pytest.mark.parametrize("start", ["2022-06-01", "2022-05", "2023-04-03"])
def test_same_kind_ties_of_a_pair_must_not_overlap(tmp_path, start):
    err = _error(tmp_path, SECOND_ASSURANCE.format(start=start))
    assert err.record == "usa-fin-assurance-2" and err.field == "start"
    assert "security_assurance tie overlaps usa-fin-assurance" in str(err)
    assert "successor" in str(err)  # says how to fix it


def test_equal_partial_dates_still_overlap_for_the_same_pair(tmp_path):
    # A partial end holds to the end of its period: ending "2023-04" and starting "2023-04" share April.
    err = _error(tmp_path, SECOND_ASSURANCE.format(start="2023-04"), replace=("end: 2023-04-04", "end: 2023-04"))
    assert err.record == "usa-fin-assurance-2" and "on or after 2023-05-01" in str(err)


def test_a_tie_starting_on_the_end_day_does_not_overlap(tmp_path):
    kb = load_kb(_kb(tmp_path, SECOND_ASSURANCE.format(start="2023-04-04")))
    assert {t["id"] for t in kb.ties} >= {"usa-fin-assurance", "usa-fin-assurance-2"}


def test_opposite_directions_of_a_directed_kind_are_different_pairs(tmp_path):
    reverse = SECOND_ASSURANCE.format(start="2022-06-01").replace("source: USA\n    target: FIN",
                                                                  "source: FIN\n    target: USA")
    assert load_kb(_kb(tmp_path, reverse))


def test_a_successor_must_start_on_the_end_day(tmp_path):
    err = _error(tmp_path, replace=("end_reason: accession\n", "end_reason: accession\n    successor: usa-pak-gwot\n"))
    assert err.record == "usa-fin-assurance" and err.field == "end"
    assert "succession does not meet" in str(err) and "usa-pak-gwot starts 2001-09" in str(err)


def test_a_succession_that_meets_is_accepted_and_counted(tmp_path):
    kb = load_kb(_kb(tmp_path, replace=("end_reason: accession\n", "end_reason: accession\n    successor: fin-nato\n")))
    assert kb.counts()["successions"] == 1


def test_an_unknown_successor_is_an_unknown_reference(tmp_path):
    err = _error(tmp_path, replace=("end_reason: accession\n", "end_reason: accession\n    successor: fin-natto\n"))
    assert isinstance(err, UnknownReference) and err.field == "successor"


def test_a_tie_without_drivers_needs_a_reason(tmp_path):
    err = _error(tmp_path, replace=("    drivers: [great_power_competition]\n    start: 2023-04-04\n",
                                    "    start: 2023-04-04\n"))
    assert err.record == "fin-nato" and err.field == "drivers" and "drivers_reason" in str(err)


def test_a_reason_instead_of_drivers_is_accepted_but_not_both(tmp_path):
    reason = '    drivers_reason: "The accession instrument states no purpose."\n    start: 2023-04-04\n'
    kb = load_kb(_kb(tmp_path, replace=("    drivers: [great_power_competition]\n    start: 2023-04-04\n", reason)))
    assert kb.counts()["ties_without_drivers_reasoned"] == 1
    err = _error(tmp_path, replace=("    start: 2023-04-04\n", reason))
    assert err.field == "drivers_reason"


def test_programme_is_checked_and_carried_on_each_tie(tmp_path):
    eop = ("kind: security_assurance\n", "kind: security_assurance\n    programme: eop\n")
    kb = load_kb(_kb(tmp_path, replace=eop))
    tie = next(t for t in kb.ties if t["id"] == "usa-fin-assurance")
    assert tie["programme"] == "eop"
    assert next(t for t in kb.ties if t["id"] == "usa-nato")["programme"] is None
    err = _error(tmp_path, replace=("kind: security_assurance\n", "kind: security_assurance\n    programme: mnnaa\n"))
    assert err.field == "programme" and "mnnaa" in str(err)


PARAGRAPHS = """\
paragraphs:
  - id: L23
    names: [USA, {names23}]
    items:
      - item: "The base"
        quote: "a base"
        records: [usa-pak-base]
      - item: "An argument"
        quote: "an argument"
        reason: "Not a tie."
"""


def test_briefing_view_must_cite_a_paragraph_naming_the_pair(tmp_path):
    # usa-pak-base's briefing view cites L23; a paragraph record for L23 that does not name PAK is an error.
    err = _error(tmp_path, paragraphs=PARAGRAPHS.format(names23="FIN"))
    assert err.record == "usa-pak-base (briefing view)" and err.field == "sources"
    assert "names both PAK and USA" in str(err)
    kb = load_kb(_kb(tmp_path / "ok", paragraphs=PARAGRAPHS.format(names23="{actor: PAK, as: 'a base'}")))
    assert kb.paragraphs[0]["quoted"] == {"PAK": "a base"}
    assert kb.counts()["briefing_items_represented"] == 1 and kb.counts()["briefing_items_not_represented"] == 1


@pytest.mark.parametrize(("old", "new", "field", "words"), [
    ("records: [usa-pak-base]", "records: [usa-pak-bass]", "records", "usa-pak-bass"),
    ('        reason: "Not a tie."\n', "", "records", "records or says why"),
    ("id: L23", "id: L24", "id", "briefing locator"),
    ("names: [USA, PAK]", "names: [USA, PAQ]", "names", "PAQ"),
])
def test_malformed_paragraph_records(tmp_path, old, new, field, words):
    text = PARAGRAPHS.format(names23="PAK")
    assert old in text
    err = _error(tmp_path, paragraphs=text.replace(old, new))
    assert err.file.endswith("briefing.yaml") and err.field == field and words in str(err)


@pytest.mark.parametrize(("end", "first_day_without"), [
    ("2023-04-04", "2023-04-04"), ("2014-09", "2014-10-01"), ("2014", "2015-01-01"), ("~2003-05", "2003-06-01")])
def test_exclusive_end_follows_the_convention(end, first_day_without):
    assert exclusive_end(parse_date(end)).isoformat() == first_day_without
    assert exclusive_end(None) is None
