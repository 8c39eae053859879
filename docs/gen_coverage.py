"""Regenerate docs/coverage.md from the knowledge base's briefing paragraphs: ``python docs/gen_coverage.py``.

``tests/test_docs.py`` fails when docs/coverage.md is out of date.
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).with_name("coverage.md")


def render() -> str:
    from pactnet.kb import load_kb
    from pactnet.kb.coverage import coverage_markdown

    return coverage_markdown(load_kb())


if __name__ == "__main__":
    from _generated import main

    main(render, OUT)
