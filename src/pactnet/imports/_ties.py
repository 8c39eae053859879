"""The shared ties frame every importer produces, and the checks every import goes through."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pactnet.errors import DatasetError

if TYPE_CHECKING:
    import polars as pl

__all__ = ["TIE_COLUMNS", "tie_schema", "empty_ties", "validate_ties", "citation"]

TIE_COLUMNS = (
    "id", "view", "source", "target", "source_ccode", "target_ccode", "directed", "kind", "level", "rank",
    "drivers", "contents", "start_lo", "start_precision", "end_hi", "end_precision", "end_reason", "via",
    "sources", "attrs",
)


def tie_schema() -> dict[str, pl.DataType]:
    import polars as pl

    return {
        "id": pl.String, "view": pl.String, "source": pl.String, "target": pl.String,
        "source_ccode": pl.Int32, "target_ccode": pl.Int32, "directed": pl.Boolean, "kind": pl.String,
        "level": pl.String, "rank": pl.Int8, "drivers": pl.List(pl.String), "contents": pl.List(pl.String),
        "start_lo": pl.Date, "start_precision": pl.String, "end_hi": pl.Date, "end_precision": pl.String,
        "end_reason": pl.String, "via": pl.String, "sources": pl.List(pl.String), "attrs": pl.String,
    }


def empty_ties() -> pl.DataFrame:
    import polars as pl

    return pl.DataFrame(schema=tie_schema())


def citation(dataset: str, version: str, file: str, row: int) -> str:
    """``atop-5.1@atop5_1m.csv row 123``: the dataset, its version, the file and the 1-based data row."""
    return f"{dataset}-{version}@{file} row {row}"


def validate_ties(ties: pl.DataFrame, dataset: str) -> pl.DataFrame:
    """Check a ties frame against the shared schema and return it cast to the schema's types.

    Raises :class:`DatasetError` naming the first offending tie id.
    """
    import polars as pl

    from pactnet.schema import LEVEL_RANK

    schema = tie_schema()
    missing = [c for c in schema if c not in ties.columns]
    if missing:
        raise DatasetError(f"{dataset}: ties lack columns {missing}")
    ties = ties.select([pl.col(c).cast(t) for c, t in schema.items()])

    def fail(mask: pl.Series, what: str) -> None:
        if mask.any():
            i = int(mask.arg_true()[0])
            raise DatasetError(f"{dataset}: tie {ties['id'][i]!r}: {what}")

    fail(ties["id"].is_duplicated(), "duplicate tie id")
    fail(ties["id"].is_null() | ties["source"].is_null() | ties["target"].is_null(), "missing id, source or target")
    fail(ties["source"] == ties["target"], "a tie from an actor to itself")
    fail(~ties["level"].is_in(list(LEVEL_RANK)), f"level not on the ladder {list(LEVEL_RANK)}")
    want_rank = ties["level"].replace_strict(LEVEL_RANK, default=None, return_dtype=pl.Int8)
    fail(want_rank != ties["rank"], "rank does not match level")
    fail(ties["start_lo"].is_null(), "no start date")
    fail(ties["end_hi"].is_not_null() & (ties["end_hi"] < ties["start_lo"]), "ends before it starts")
    fail(ties["sources"].list.len().fill_null(0) == 0, "no source citation")
    return ties
