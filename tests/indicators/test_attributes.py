"""Context attributes (kb/data/context.yaml): loaded as a frame, and bad records fail validation with their
file, line, record and field."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from click.testing import CliRunner

from pactnet.cli import main
from pactnet.errors import MissingSource, UnknownReference, ValidationError
from pactnet.kb import load_kb
from pactnet.kb.attributes import ATTRIBUTES, attributes
from tests.conftest import write_kb
from tests.indicators.conftest import MINI


def test_mini_attributes_as_a_frame(mini_kb):
    frame = attributes(kb=mini_kb)
    assert frame.columns == ["actor", "attribute", "other", "value", "start", "end", "sources"]
    rus = frame.filter(frame["attribute"] == "revisionist").row(0, named=True)
    assert rus["actor"] == "RUS" and rus["start"] == dt.date(2015, 7, 1) and rus["end"] is None
    assert rus["sources"] == ["ref@p. 5"]
    assert attributes("contiguity", kb=mini_kb).height == 2


def test_shipped_context_is_valid_and_sourced():
    kb = load_kb()
    frame = attributes(kb=kb)
    assert set(frame["attribute"]) == set(ATTRIBUTES)
    assert frame.filter(frame["sources"].list.len() == 0).height == 0
    ukr = frame.filter((frame["actor"] == "UKR") & (frame["other"] == "RUS"))
    assert ukr["value"].to_list() == [1]  # COW: land border
    assert {"RUS", "CHN", "SUN"} <= set(frame.filter(frame["attribute"] == "revisionist")["actor"])


BAD = [
    # old text in context.yaml, new text, field, class, words
    ("attribute: revisionist", "attribute: revanchist", "attribute", ValidationError, "unknown attribute"),
    ("{actor: RUS,", "{actor: RUZ,", "actor", UnknownReference, "'RUZ' is not defined"),
    ('sources: ["ref@p. 5"]', "sources: []", "sources", MissingSource, "cites no source"),
    ('sources: ["ref@p. 5"]', 'sources: ["ref"]', "sources", MissingSource, "no locator"),
    ("other: RUS, value: 1, start", "other: RUS, value: 7, start", "value", ValidationError, "invalid value"),
    ('start: "2015-07-01", end: open', 'start: "2015-07-01", end: "2014"', "end", ValidationError,
     "before it starts"),
    ("attribute: revisionist, value: true,", "attribute: revisionist, other: UKR, value: true,", "other",
     ValidationError, "takes no second actor"),
    ("{actor: RUS, attribute: revisionist,", "{actor: RUS, colour: red, attribute: revisionist,", "colour",
     ValidationError, "unknown field"),
]


@pytest.mark.parametrize(("old", "new", "field", "cls", "words"), BAD)
def test_bad_records_are_located(tmp_path, old, new, field, cls, words):
    files = dict(MINI)
    assert old in files["context.yaml"], old
    files["context.yaml"] = files["context.yaml"].replace(old, new, 1)
    kb_dir = write_kb(tmp_path / "kb", files)
    with pytest.raises(ValidationError) as exc:
        load_kb(kb_dir)
    errors = getattr(exc.value, "all_errors", [exc.value])
    match = [e for e in errors if e.field == field]
    assert match, [str(e) for e in errors]
    err = match[0]
    assert isinstance(err, cls)
    text = textwrap.dedent(files["context.yaml"]).splitlines()
    line = next(i for i, t in enumerate(text, 1) if new.splitlines()[0] in t)
    assert err.file.endswith("context.yaml") and err.line == line and err.record
    assert f"context.yaml:{line}, record {err.record}, field {field}: " in str(err)
    assert words in str(err)


def test_validate_command_reports_a_bad_attribute(tmp_path):
    files = dict(MINI)
    files["context.yaml"] = files["context.yaml"].replace("value: 1, start", "value: 9, start", 1)
    kb_dir = write_kb(tmp_path / "kb", files)
    result = CliRunner().invoke(main, ["validate", "--kb", str(kb_dir)])
    assert result.exit_code == 2
    assert "context.yaml:3, record UKR.contiguity/RUS, field value: invalid value for contiguity" in result.output


def test_attributes_must_be_a_list(tmp_path):
    files = dict(MINI)
    files["context.yaml"] = "attributes:\n  actor: RUS\n"
    with pytest.raises(ValidationError, match="attributes must be a list"):
        load_kb(write_kb(tmp_path / "kb", files))
