"""Creating panels: the dyad-year and state-year universes of a state system (peacesciencer's
``create_dyadyears`` and ``create_stateyears``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pactnet.errors import InputError
from pactnet.panel.frame import Panel

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import polars as pl

__all__ = ["create_dyad_years", "create_state_years"]


def create_dyad_years(system: str = "cow", directed: bool = True, start: int = 1816, end: int | None = None, *,
                      states: pl.DataFrame | str | Path | None = None, exclude: pl.DataFrame | str | Path | None = None,
                      db: Any = None) -> Panel:
    """Every pair of system members alive on a common day of each year (peacesciencer's ``create_dyadyears``).

    Parameters
    ----------
    system : ``"cow"`` (Correlates of War) or ``"gw"`` (Gleditsch-Ward).
    directed : both orders of each pair (True) or ``ccode2 > ccode1`` only.
    start, end : first and last year; states alive on the state data's last day are carried on to ``end``
        (default: the state data's last year).
    states : the state list: a frame (``code, start, end``), a file (``pactnet import cow-states`` formats), or
        None for the store's ``cow_states`` / ``gw_states``.
    exclude : dyad-years to leave out (``ccode1, ccode2, year``; e.g. ``false_cow_dyads.csv``), needed only for a
        state list with years but no days.
    db : the store the verbs read their data from when given none (a ``Store``, a path or None: the default).

    Returns
    -------
    Panel with columns ``ccode1, ccode2, year`` (``gwcode1, gwcode2, year`` for G-W).
    """
    db = _store(db)
    frame, exclude = _state_list(system, states, exclude, db, state_year=False)
    return _dyad_universe(frame, system=system, directed=directed, start=start, end=end, exclude=exclude, db=db)


def create_state_years(system: str = "cow", start: int = 1816, end: int | None = None, *,
                       states: pl.DataFrame | str | Path | None = None, db: Any = None) -> Panel:
    """Every state-year with at least one day of system membership (peacesciencer's ``create_stateyears``)."""
    db = _store(db)
    frame, _ = _state_list(system, states, None, db, state_year=True)
    return _state_universe(frame, system=system, start=start, end=end, db=db)


def _store(db: Any) -> Any:
    """One ``Store`` for the whole pipeline (its knowledge-base fingerprint is then computed once)."""
    from pactnet.store import Store

    return db if isinstance(db, Store) else Store(db)


def _check_system(system: str) -> None:
    if system not in ("cow", "gw"):
        raise InputError(f"system: expected 'cow' or 'gw', got {system!r}")


def _state_list(system: str, states: Any, exclude: Any, db: Any, *, state_year: bool):
    import polars as pl

    from pactnet.panel.sources import _read_pairs, load_inputs

    _check_system(system)
    if isinstance(exclude, (str, bytes)) or hasattr(exclude, "__fspath__"):
        exclude = _read_pairs(exclude)
    if isinstance(states, pl.DataFrame):
        return states, exclude
    paths: dict[str, Any] = {"states": str(states)} if states is not None else {}
    if exclude is not None:
        paths["false_dyads"] = exclude
    inp = load_inputs((), system=system, db=db, paths=paths, state_year=state_year)
    return inp["states"], inp.get("exclude", exclude)


def _last_year(en: np.ndarray) -> int:
    import numpy as np

    return int(np.datetime64(int(en.max()), "D").astype("datetime64[Y]").astype(int) + 1970)


def _dyad_universe(states: pl.DataFrame, *, system: str = "cow", directed: bool = True, start: int = 1816,
                   end: int | None = None, exclude: pl.DataFrame | None = None, db: Any = None) -> Panel:
    import polars as pl

    from pactnet.panel.build import _exclude
    from pactnet.panel.universe import dyad_segments, spans

    _check_system(system)
    code, st, en = spans(states, end)
    if end is None:
        end = _last_year(en)
    seg = dyad_segments(code, st, en, start, end, directed)
    if exclude is not None:
        seg = _exclude(seg, exclude, directed)
    c1, c2, year = seg.arrays()
    p = "gwcode" if system == "gw" else "ccode"
    frame = pl.DataFrame({f"{p}1": c1, f"{p}2": c2, "year": year})
    return Panel(frame, "dyad_year", system, directed, start, end, {}, db=db, seg=seg)


def _state_universe(states: pl.DataFrame, *, system: str = "cow", start: int = 1816, end: int | None = None,
                    db: Any = None) -> Panel:
    import polars as pl

    from pactnet.panel.universe import spans, state_year_arrays

    _check_system(system)
    code, st, en = spans(states, end)
    if end is None:
        end = _last_year(en)
    cc, yy = state_year_arrays(code, st, en, start, end)
    p = "gwcode" if system == "gw" else "ccode"
    return Panel(pl.DataFrame({p: cc, "year": yy}), "state_year", system, True, start, end, {}, db=db)
