"""The panel's knowledge-base levels always come from the knowledge base as it is now."""

from __future__ import annotations

import polars as pl
from click.testing import CliRunner

from pactnet.cli.panel import panel
from pactnet.imports import import_dataset


def _kb_level(out, c1, c2, year):
    f = pl.read_parquet(out).filter((pl.col("ccode1") == c1) & (pl.col("ccode2") == c2) & (pl.col("year") == year))
    return f["kb_level"].item()


def test_kb_levels_on_a_store_with_imports_only(shared, tmp_path, tiny_kb):
    db = tmp_path / "store.duckdb"
    import_dataset("cow-states", shared / "state_systems" / "cow_states.csv", db=db)  # no knowledge base built yet
    out = tmp_path / "p.parquet"
    r = CliRunner().invoke(panel, ["dyad-year", "--to", "2024", "--carry-forward", "--with", "kb", "--out", str(out),
                                   "--db", str(db), "--kb", str(tiny_kb)])
    assert r.exit_code == 0, r.output
    assert _kb_level(out, 2, 375, 2022) == "assurance"   # the tiny KB's US assurance to Finland
    assert _kb_level(out, 2, 375, 2024) == "guarantee"   # then the guarantee held through NATO


def test_kb_levels_follow_an_edited_knowledge_base(shared, tmp_path, tiny_kb):
    db = tmp_path / "store.duckdb"
    import_dataset("cow-states", shared / "state_systems" / "cow_states.csv", db=db)
    out = tmp_path / "p.parquet"
    args = ["dyad-year", "--to", "2024", "--carry-forward", "--with", "kb", "--out", str(out), "--db", str(db),
            "--kb", str(tiny_kb)]
    assert CliRunner().invoke(panel, args).exit_code == 0
    assert _kb_level(out, 2, 375, 2019) is None
    ties = tiny_kb / "ties.yaml"
    ties.write_text(ties.read_text().replace("start: 2022-05\n", "start: 2019-01\n"))
    r = CliRunner().invoke(panel, args)
    assert r.exit_code == 0, r.output
    assert _kb_level(out, 2, 375, 2019) == "assurance"
