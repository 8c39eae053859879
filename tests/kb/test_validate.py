"""Malformed knowledge-base files get one precise error each: file:line, record, field, expectation."""

from __future__ import annotations

import re
import textwrap

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pactnet.cli import main
from pactnet.errors import MissingSource, UnknownReference, ValidationError
from pactnet.kb import load_kb
from tests.conftest import TINY, write_kb


def _variant(tmp_path, file, old, new):
    files = dict(TINY)
    text = textwrap.dedent(files[file])
    assert old in text, old
    files[file] = text.replace(old, new, 1)
    return write_kb(tmp_path / "kb", files)


CASES = [
    # file, old text, new text, record, field, error class, words in the message
    ("ties.yaml", "kind: security_assurance", "kind: security_promise", "usa-fin-assurance", "kind",
     ValidationError, "expected one of"),
    ("ties.yaml", "target: FIN\n", "target: FNI\n", "usa-fin-assurance", "target", UnknownReference, "FNI"),
    ("ties.yaml", "end: 2023-04-04", "end: 2021-01-01", "usa-fin-assurance", "end", ValidationError,
     "before it starts"),
    ("ties.yaml", 'sources: ["briefing@L43"]', "sources: []", "usa-fin-assurance", "sources", MissingSource,
     "cites no source"),
    ("ties.yaml", 'sources: ["briefing@L43"]', 'sources: ["briefing"]', "usa-fin-assurance", "sources",
     MissingSource, "no locator"),
    ("ties.yaml", 'sources: ["briefing@L43"]', 'sources: ["brefing@L43"]', "usa-fin-assurance", "sources",
     UnknownReference, "unknown source"),
    ("ties.yaml", 'sources: ["briefing@L43"]', 'sources: ["briefing@L44"]', "usa-fin-assurance", "sources",
     MissingSource, "briefing has no locator 'L44' (expected one of L7, L11, L23, L25 ... L43 (6 in all)"),
    ("ties.yaml", "drivers: [gwot]\n    flows", "drivers: [terror]\n    flows", "usa-pak-gwot", "drivers",
     ValidationError, "terror"),
    ("ties.yaml", "start: 2022-05\n", "start: May 2022\n", "usa-fin-assurance", "start", ValidationError,
     "YYYY-MM-DD"),
    ("ties.yaml", "{start: 2004-06, end: 2011-05", "{start: 2003-06, end: 2011-05", "usa-pak-gwot", "phases",
     ValidationError, "overlaps"),
    ("ties.yaml", "level: transactional,", "level: lukewarm,", "usa-pak-gwot phase 3", "level",
     ValidationError, "lukewarm"),
    ("ties.yaml", "end_reason: accession", "end_reason: bored", "usa-fin-assurance", "end_reason",
     ValidationError, "bored"),
    ("ties.yaml", "    vital: true", "    vitally: true", "usa-nato", "vitally", ValidationError, "unknown field"),
    ("ties.yaml", "  - id: fin-nato\n", "  - id: usa-nato\n", "usa-nato", "id", ValidationError, "duplicate"),
    ("ties.yaml", '      start: 2008\n      sources: ["briefing@L23"]', "      start: 2008",
     "usa-pak-base (briefing view)", "sources", MissingSource, "briefing view cites no source"),
    ("actors.yaml", "ccode: 375", "ccode: three", "FIN", "ccode", ValidationError, "integer"),
    ("actors.yaml", "ccode: 375", "ccode: 2", "FIN", "ccode", ValidationError, "also used by USA"),
    ("actors.yaml", "iso3: FIN", "iso3: Fin", "FIN", "iso3", ValidationError, "ISO3"),
    ("ties.yaml", "actors: [FIN, NATO]", "actors: [FIN, NAT0]", "fin-accession", "actors", UnknownReference,
     "NAT0"),
    ("ties.yaml", "kind: accession", "kind: joined", "fin-accession", "kind", ValidationError, "joined"),
]


@pytest.mark.parametrize(("file", "old", "new", "record", "field", "cls", "words"), CASES)
def test_malformed_record(tmp_path, file, old, new, record, field, cls, words):
    kb = _variant(tmp_path, file, old, new)
    with pytest.raises(cls) as info:
        load_kb(kb)
    err = info.value
    assert err.file.endswith(file)
    assert err.record == record
    assert err.field == field
    assert words in str(err)
    # The line points at the offending field or record, inside the file.
    lines = (kb / file).read_text().splitlines()
    assert 1 <= err.line <= len(lines)
    where = rf"{re.escape(file)}:{err.line}, record {re.escape(record)}, field {re.escape(field)}: "
    assert re.match(".*" + where, str(err))


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [("ties:\n  - id: a\n    source: [\n", 3, "YAML syntax error"),  # the last line, not the one after
     ("ties:\n  - id: a\n  id: b\n", 3, "YAML syntax error"),
     ("tie:\n  - id: a\n", 1, "unknown top-level key"),
     ("ties: {id: a}\n", 1, "must be a list"),
     ("ties:\n  - just text\n", 1, "must be a mapping")],
)
def test_malformed_file(tmp_path, text, line, words):
    kb = write_kb(tmp_path / "kb")
    (kb / "zz.yaml").write_text(text)
    with pytest.raises(ValidationError) as info:
        load_kb(kb)
    assert info.value.file.endswith("zz.yaml")
    assert info.value.line == line
    assert words in str(info.value)


def test_cli_reports_one_line_and_exit_2(tmp_path):
    kb = _variant(tmp_path, "ties.yaml", "kind: security_assurance", "kind: security_promise")
    result = CliRunner().invoke(main, ["validate", "--kb", str(kb)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    line_no = next(i for i, t in enumerate((kb / "ties.yaml").read_text().splitlines(), 1) if "security_promise" in t)
    assert lines[0].startswith("Error: ")
    assert f"ties.yaml:{line_no}, record usa-fin-assurance, field kind: unknown value 'security_promise'" in lines[0]
    assert "Traceback" not in result.output


def test_cli_reports_every_error(tmp_path):
    files = dict(TINY)
    text = textwrap.dedent(files["ties.yaml"]).replace("kind: security_assurance", "kind: nope")
    files["ties.yaml"] = text.replace("kind: basing_access", "kind: nope2")
    kb = write_kb(tmp_path / "kb", files)
    result = CliRunner().invoke(main, ["validate", "--kb", str(kb)])
    assert result.exit_code == 2
    assert "nope'" in result.stderr and "nope2" in result.stderr and "2 errors" in result.stderr


def test_one_message_per_problem(tmp_path):
    """A missing date is one error, not two; an event's error is not repeated for each view."""
    files = dict(TINY)
    text = textwrap.dedent(files["ties.yaml"])
    text = text.replace("    start: 2022-05\n", "", 1).replace('sources: ["treaty@Art. 10"]\n        """', "")
    event_sources = '    description: Finland joins NATO.\n    sources: ["treaty@Art. 10"]'
    bad_sources = event_sources.replace('"treaty@Art. 10"', '"treaty@Art. 11x", "nope@1"')
    files["ties.yaml"] = text.replace(event_sources, bad_sources)
    kb = write_kb(tmp_path / "kb", files)
    result = CliRunner().invoke(main, ["validate", "--kb", str(kb)])
    errors = result.stderr.strip().splitlines()[:-1]
    assert len(errors) == len(set(errors)) == 2, errors
    assert "record usa-fin-assurance, field start: required date is missing" in errors[0]
    assert "record fin-accession, field sources: cites unknown source 'nope'" in errors[1]


def test_tiny_kb_is_valid(tiny_kb):
    kb = load_kb(tiny_kb)
    assert kb.counts()["ties"] == 5 and kb.counts()["disagreements"] == 1
    pak = next(t for t in kb.ties if t["id"] == "usa-pak-gwot")
    assert pak["flows"] == {"USA": ["intel_sharing", "overflight"], "PAK": ["weapons", "training"]}
    assert [p["level"] for p in pak["phases"]] == ["ad_hoc", "structured", "transactional"]


def test_shipped_kb_is_valid_and_large_enough():
    kb = load_kb()
    c = kb.counts()
    assert c["ties"] >= 150 and c["events"] >= 60, c
    for t in kb.ties:
        assert t["sources"], t["id"]
    for e in kb.events:
        assert e["sources"], e["id"]
    for a in kb.actors.values():
        assert a["sources"], a["id"]


# --- property: any mutation of a valid record is accepted or rejected with a located error -------------

_JUNK = st.one_of(st.none(), st.integers(-5, 5000), st.text(max_size=8), st.lists(st.text(max_size=4), max_size=3),
                  st.sampled_from(["2022-13-01", "~", "open", "guarantee", "USA", "briefing@", "@x"]),
                  st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
_FIELDS = ["id", "source", "target", "kind", "level", "drivers", "contents", "start", "end", "end_reason",
           "sources", "phases", "flows", "directed", "vital", "briefing", "views", "status", "agent", "programme",
           "successor", "drivers_reason"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(_FIELDS), value=_JUNK, drop=st.booleans())
def test_mutated_tie_gives_located_error_or_passes(tmp_path_factory, field, value, drop):
    root = tmp_path_factory.mktemp("mut")
    files = dict(TINY)
    doc = yaml.safe_load(textwrap.dedent(files["ties.yaml"]))
    tie = doc["ties"][2]
    if drop:
        tie.pop(field, None)
    else:
        tie[field] = value
    files["ties.yaml"] = yaml.safe_dump(doc, sort_keys=False)
    kb = write_kb(root, files)
    try:
        load_kb(kb)
    except ValidationError as err:
        assert err.file and err.file.endswith(".yaml")
        assert err.line is not None and err.line >= 1
        if err.file.endswith("ties.yaml"):
            assert err.record is not None
        assert str(err).count("\n") == 0
