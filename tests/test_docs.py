"""The docs keep up with the code: every CLI command documented, every vocabulary word explained."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pactnet import schema as S

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize(("script", "page"), [
    ("gen_cli_reference.py", "cli.md"),
    ("gen_api_reference.py", "api.md"),
    ("gen_coverage.py", "coverage.md"),
])
def test_generated_page_is_current(script, page):
    # A fresh process: click caches each command's help option from the first context that asks for it.
    out = subprocess.run([sys.executable, str(DOCS / script), "--stdout"], capture_output=True,
                         text=True, check=True).stdout
    assert (DOCS / page).read_text(encoding="utf-8") == out, (
        f"docs/{page} is out of date: run python docs/{script}")


def test_data_model_documents_every_vocabulary_word():
    text = (DOCS / "data-model.md").read_text(encoding="utf-8")
    vocab = (set(S.TIE_KINDS) | set(S.LEVELS) | S.ACTOR_KINDS | S.EVENT_KINDS | S.DRIVERS | S.CONTENTS | S.REGIONS
             | S.END_REASONS | S.STATUSES | S.SOURCE_KINDS | S.PROGRAMMES)
    missing = sorted(w for w in vocab if f"`{w}`" not in text)
    assert not missing, f"docs/data-model.md does not mention: {missing}"


def test_every_query_function_is_in_the_api_reference():
    from pactnet import network

    text = (DOCS / "api.md").read_text(encoding="utf-8")
    missing = [n for n in network.__all__ if callable(getattr(network, n)) and n not in ("Date", "View")
               and f"### `{n}(" not in text]
    assert not missing, f"docs/api.md lacks {missing}"
