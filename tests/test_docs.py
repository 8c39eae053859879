"""The docs keep up with the code: every CLI command documented, every vocabulary word explained."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from pactnet import schema as S

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_cli_reference_is_current():
    spec = importlib.util.spec_from_file_location("gen_cli_reference", DOCS / "gen_cli_reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == mod.render(), (
        "docs/cli.md is out of date: run python docs/gen_cli_reference.py")


def test_data_model_documents_every_vocabulary_word():
    text = (DOCS / "data-model.md").read_text(encoding="utf-8")
    vocab = (set(S.TIE_KINDS) | set(S.LEVELS) | S.ACTOR_KINDS | S.EVENT_KINDS | S.DRIVERS | S.CONTENTS | S.REGIONS
             | S.END_REASONS | S.STATUSES | S.SOURCE_KINDS)
    missing = sorted(w for w in vocab if f"`{w}`" not in text)
    assert not missing, f"docs/data-model.md does not mention: {missing}"
