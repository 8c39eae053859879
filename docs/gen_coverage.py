"""Regenerate docs/coverage.md from the knowledge base's briefing paragraphs: ``python docs/gen_coverage.py``.

``tests/kb/test_coverage.py`` fails when docs/coverage.md is out of date.
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).with_name("coverage.md")


def render() -> str:
    from pactnet.kb import load_kb
    from pactnet.kb.coverage import coverage_markdown

    return coverage_markdown(load_kb())


if __name__ == "__main__":
    import sys

    if "--stdout" in sys.argv:
        sys.stdout.write(render())
    else:
        OUT.write_text(render(), encoding="utf-8")
        print(f"wrote {OUT}")
