"""``Panel``: a polars frame that knows its unit (dyad-year or state-year), system and years.

Verbs (:mod:`pactnet.panel.verbs`) return a new ``Panel``; the frame's columns are shared, not copied.
A panel built by :func:`~pactnet.panel.create_dyad_years` also keeps its universe as runs of years per
pair (:class:`~pactnet.panel.universe.Segments`), so verbs place attribute rows by direct lookup; after
:func:`~pactnet.panel.filter_prd` a row map says where each universe row went.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import pandas as pd
    import polars as pl

    from pactnet.panel.universe import Segments

__all__ = ["Panel", "Unit", "REASONS"]

Unit = Literal["dyad_year", "state_year"]
#: Why an attribute row found no panel row (the ``reason`` column of :meth:`Panel.dropped_report`).
REASONS = {
    "outside_years": "year outside the panel's years",
    "outside_system": "not a pair (state) of system members alive that year",
    "filtered": "in the state system but filtered out of the panel",
    "no_counterpart": "no Gleditsch-Ward counterpart of the COW code that year",
}


@dataclass
class Panel:
    """A dyad-year or state-year panel: ``frame`` (polars; also ``.pl``), ``kind`` (the unit), ``system``
    (``"cow"`` or ``"gw"``), ``directed``, ``start`` and ``end`` (years, inclusive), and the attribute rows
    it could not place (``dropped[name]``, with a ``reason`` column; see :meth:`dropped_report`).

    >>> from pactnet.panel import create_dyad_years  # doctest: +SKIP
    >>> p = create_dyad_years(end=2024).add_atop().add_nmc().add_kb()  # doctest: +SKIP
    >>> p.to_pandas().dtypes["atop_defense"]  # doctest: +SKIP
    Int8Dtype()
    """

    frame: pl.DataFrame
    kind: Unit
    system: str
    directed: bool
    start: int
    end: int
    dropped: dict[str, pl.DataFrame] = field(default_factory=dict)
    #: Where the panel's inputs come from when a verb is given no data: the store (a Store, path or None).
    db: Any = field(default=None, repr=False, compare=False)
    #: The universe as segments (dyad-year panels built from a state list) and, after filtering, the panel
    #: row of each universe row (-1: filtered out). ``None``: verbs join on the key columns instead.
    seg: Segments | None = field(default=None, repr=False, compare=False)
    rows: np.ndarray | None = field(default=None, repr=False, compare=False)
    crosswalk: pl.DataFrame | None = field(default=None, repr=False, compare=False)
    notes: tuple[str, ...] = field(default=(), repr=False, compare=False)
    #: Arrays derived from the key columns (shared by the panels of one pipeline while its rows are unchanged).
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    # -- what it is --------------------------------------------------------------------------------------
    @property
    def pl(self) -> pl.DataFrame:
        """The polars frame."""
        return self.frame

    @property
    def unit(self) -> Unit:
        return self.kind

    @property
    def years(self) -> tuple[int, int]:
        return self.start, self.end

    @property
    def height(self) -> int:
        return self.frame.height

    @property
    def keys(self) -> tuple[str, ...]:
        """The key columns: ``ccode1, ccode2, year`` (``gwcode..`` for G-W) or ``ccode, year``."""
        p = "gwcode" if self.system == "gw" else "ccode"
        return (f"{p}1", f"{p}2", "year") if self.kind == "dyad_year" else (p, "year")

    def replace(self, **changes: Any) -> Panel:
        """A new panel with ``changes`` (the frame's unchanged columns are shared).

        A new ``frame`` whose key columns differ from the old one's (rows filtered, added or reordered) drops the
        universe index, so later verbs join on the key columns instead of placing rows by position.
        """
        if "frame" in changes and not {"seg", "rows", "cache"} & changes.keys() and (self.seg is not None
                                                                                    or self.cache):
            new = changes["frame"]
            keys = list(self.keys)
            if new.height != self.frame.height or not new.select(keys).equals(self.frame.select(keys)):
                changes.update(seg=None, rows=None, cache={})
        return dataclasses.replace(self, **changes)

    def _with_columns(self, frame: pl.DataFrame, **changes: Any) -> Panel:
        """For verbs: the same rows in the same order, new columns (the universe index stays valid)."""
        return dataclasses.replace(self, frame=frame, **changes)

    def __repr__(self) -> str:
        d = ("directed" if self.directed else "undirected") + " " if self.kind == "dyad_year" else ""
        return (f"<Panel {d}{self.kind.replace('_', '-')}s, {self.system.upper()} system, {self.start}-{self.end}: "
                f"{self.frame.height:,} rows x {self.frame.width} columns>")

    def _repr_html_(self) -> str:
        from html import escape

        head = self.frame.head(5)._repr_html_() if hasattr(self.frame, "_repr_html_") else ""
        cols = ", ".join(f"<code>{escape(c)}</code>" for c in self.frame.columns)
        unit = self.kind.replace("_", "-")
        d = ("directed" if self.directed else "undirected") if self.kind == "dyad_year" else ""
        dropped = "".join(f"<li>{escape(k)}: {v.height:,} rows not placed</li>" for k, v in self.dropped.items())
        return (f"<div class='pactnet-panel'><p><b>Panel</b>: {d} {unit}s, {self.system.upper()} system, "
                f"{self.start}-{self.end}, {self.frame.height:,} rows, {self.frame.width} columns</p>"
                f"<p>columns: {cols}</p>" + (f"<ul>{dropped}</ul>" if dropped else "") + head + "</div>")

    # -- output ------------------------------------------------------------------------------------------
    def to_pandas(self) -> pd.DataFrame:
        """A pandas frame with nullable dtypes: ``Int8``/``Int32``..., ``Float64``, ``string``, ``boolean``, and
        ordered ``category`` for enums (``kb_level`` in ladder order); missing values are ``pd.NA``."""
        import pandas as pd
        import polars as pl

        out = {}
        for name, s in zip(self.frame.columns, self.frame.get_columns(), strict=True):
            dt = s.dtype
            mask = s.is_null().to_numpy()
            if isinstance(dt, pl.Enum):
                out[name] = pd.Categorical.from_codes(
                    s.to_physical().fill_null(-1).cast(pl.Int32).to_numpy(),
                    categories=list(dt.categories), ordered=True)
            elif isinstance(dt, pl.Categorical):
                out[name] = pd.Categorical(s.cast(pl.String).to_list())
            elif dt.is_integer():
                out[name] = pd.arrays.IntegerArray(s.fill_null(0).to_numpy(), mask)
            elif dt.is_float():
                out[name] = pd.arrays.FloatingArray(s.fill_null(0).to_numpy(), mask | s.is_nan().fill_null(False)
                                                    .to_numpy())
            elif dt == pl.Boolean:
                out[name] = pd.arrays.BooleanArray(s.fill_null(False).to_numpy(), mask)
            elif dt == pl.String:
                out[name] = pd.array(s.to_list(), dtype="string")
            else:
                out[name] = s.to_pandas()
        return pd.DataFrame(out)

    def to_parquet(self, path: str | Path) -> None:
        """Write the frame to a Parquet file (enums keep their categories)."""
        self.frame.write_parquet(path, statistics=False)

    def write(self, path: str | Path) -> None:
        """Write the frame to ``.parquet`` or ``.csv`` / ``.csv.gz`` (chosen by the suffix)."""
        from pathlib import Path as _P

        from pactnet.errors import InputError

        p = _P(path)
        name = p.name.lower()
        if name.endswith(".parquet"):
            self.to_parquet(p)
        elif name.endswith(".csv.gz"):
            import gzip

            with gzip.open(p, "wb") as fh:
                self.frame.write_csv(fh)
        elif name.endswith(".csv"):
            self.frame.write_csv(p)
        else:
            raise InputError(f"{p}: output must end in .parquet, .csv or .csv.gz (got {p.suffix or 'no suffix'!r})")

    # -- rows not placed ---------------------------------------------------------------------------------
    def dropped_counts(self) -> dict[str, int]:
        """Rows not placed, per attribute."""
        return {k: v.height for k, v in self.dropped.items()}

    def dropped_by_reason(self) -> dict[str, dict[str, int]]:
        """Rows not placed, per attribute and reason (keys of :data:`REASONS`)."""
        import polars as pl

        out: dict[str, dict[str, int]] = {}
        for k, v in self.dropped.items():
            if "reason" not in v.columns:
                out[k] = {"outside_system": v.height}
                continue
            g = v.group_by("reason").agg(pl.len()).sort("reason")
            out[k] = {str(r): int(n) for r, n in g.iter_rows()}
        return out

    def dropped_report(self) -> pl.DataFrame:
        """Every attribute row not placed: ``attribute, code1, code2, year, reason`` (``code2`` null for
        state-year rows; ``reason`` one of :data:`REASONS`)."""
        import polars as pl

        frames = []
        for k, d in self.dropped.items():
            a, b = _key_pair(d)
            frames.append(d.select(
                pl.lit(k).alias("attribute"), pl.col(a).cast(pl.Int32).alias("code1"),
                (pl.col(b).cast(pl.Int32) if b else pl.lit(None, dtype=pl.Int32)).alias("code2"),
                pl.col("year").cast(pl.Int32),
                (pl.col("reason") if "reason" in d.columns else pl.lit("outside_system")).cast(pl.String)
                .alias("reason")))
        if not frames:
            return pl.DataFrame(schema={"attribute": pl.String, "code1": pl.Int32, "code2": pl.Int32,
                                        "year": pl.Int32, "reason": pl.String})
        return pl.concat(frames)

    def write_dropped(self, path: str | Path) -> None:
        """Write :meth:`dropped_report` to a CSV."""
        self.dropped_report().write_csv(path)

    # -- verbs (see pactnet.panel.verbs) -----------------------------------------------------------------
    def add_atop(self, **kw: Any) -> Panel:
        from pactnet.panel.verbs import add_atop

        return add_atop(self, **kw)

    def add_cow_alliances(self, **kw: Any) -> Panel:
        from pactnet.panel.verbs import add_cow_alliances

        return add_cow_alliances(self, **kw)

    def add_dcad(self, **kw: Any) -> Panel:
        from pactnet.panel.verbs import add_dcad

        return add_dcad(self, **kw)

    def add_kb(self, **kw: Any) -> Panel:
        from pactnet.panel.verbs import add_kb

        return add_kb(self, **kw)

    def add_nmc(self, **kw: Any) -> Panel:
        from pactnet.panel.verbs import add_nmc

        return add_nmc(self, **kw)

    def add_contiguity(self, **kw: Any) -> Panel:
        from pactnet.panel.verbs import add_contiguity

        return add_contiguity(self, **kw)

    def add_capital_distance(self, **kw: Any) -> Panel:
        from pactnet.panel.verbs import add_capital_distance

        return add_capital_distance(self, **kw)

    def add_major_powers(self, **kw: Any) -> Panel:
        from pactnet.panel.verbs import add_major_powers

        return add_major_powers(self, **kw)

    def add_rivalries(self, **kw: Any) -> Panel:
        from pactnet.panel.verbs import add_rivalries

        return add_rivalries(self, **kw)

    def filter_prd(self) -> Panel:
        from pactnet.panel.spells import filter_prd

        return filter_prd(self)

    def add_spells(self, event_col: str, **kw: Any) -> Panel:
        from pactnet.panel.spells import add_spells

        return add_spells(self, event_col, **kw)


def _key_pair(d: pl.DataFrame) -> tuple[str, str | None]:
    for a, b in (("ccode1", "ccode2"), ("gwcode1", "gwcode2")):
        if a in d.columns and b in d.columns:
            return a, b
    return ("ccode" if "ccode" in d.columns else "gwcode"), None
