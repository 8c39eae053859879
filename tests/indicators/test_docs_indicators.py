"""docs/indicators.md keeps up with the code: every indicator has its section, every weight its row, every
judgement its line; every indicator function documents its formula and the briefing passage."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from pactnet.indicators import INDICATORS, JUDGEMENTS, Weights

DOC = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(INDICATORS))
def test_every_indicator_has_a_section_and_a_documented_function(name):
    assert f"### {name} (module `" in DOC
    section = DOC.split(f"### {name} (module `", 1)[1].split("\n### ", 1)[0]
    for part in ("*Definition.*", "*Formula.*", "*Range.*", "*Briefing.*", "*Limits.*"):
        assert part in section, f"{name}: {part}"
    doc = inspect.getdoc(INDICATORS[name][0])
    for part in (".. math::", "Returns", "Notes", "References", "FIIA Briefing (2022), L"):
        assert part in doc, f"{name}: docstring lacks {part}"


@pytest.mark.parametrize("name", Weights.names())
def test_every_weight_is_in_the_table(name):
    default = getattr(Weights(), name)
    assert f"| `{name}` | {default} |" in DOC


def test_every_judgement_is_reported():
    assert len(JUDGEMENTS) == 10
    for j in JUDGEMENTS:
        assert j.passage.split(",")[0] in DOC
