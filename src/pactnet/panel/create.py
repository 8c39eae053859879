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

__all__ = ["create_dyad_years", "create_state_years", "MAX_CARRY_YEARS"]

#: How many years past the state data's last year ``carry_forward`` may reach (peacesciencer carries the 2016
#: system to the present; a typo such as ``end=99999`` must not ask for terabytes).
MAX_CARRY_YEARS = 30


def create_dyad_years(system: str = "cow", directed: bool = True, start: int = 1816, end: int | None = None, *,
                      states: pl.DataFrame | str | Path | None = None, exclude: pl.DataFrame | str | Path | None = None,
                      carry_forward: bool = False, db: Any = None) -> Panel:
    """Every pair of system members alive on a common day of each year (peacesciencer's ``create_dyadyears``).

    Parameters
    ----------
    system : ``"cow"`` (Correlates of War) or ``"gw"`` (Gleditsch-Ward).
    directed : both orders of each pair (True) or ``ccode2 > ccode1`` only.
    start, end : first and last year (default ``end``: the state data's last year).
    carry_forward : allow an ``end`` after the state data's last year (at most :data:`MAX_CARRY_YEARS` after it),
        carrying the states alive on its last day on to ``end``, as peacesciencer does by default.
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
    return _dyad_universe(frame, system=system, directed=directed, start=start, end=end, exclude=exclude, db=db,
                          carry_forward=carry_forward)


def create_state_years(system: str = "cow", start: int = 1816, end: int | None = None, *,
                       states: pl.DataFrame | str | Path | None = None, carry_forward: bool = False,
                       db: Any = None) -> Panel:
    """Every state-year with at least one day of system membership (peacesciencer's ``create_stateyears``);
    ``start``, ``end`` and ``carry_forward`` as in :func:`create_dyad_years`."""
    db = _store(db)
    frame, _ = _state_list(system, states, None, db, state_year=True)
    return _state_universe(frame, system=system, start=start, end=end, db=db, carry_forward=carry_forward)


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


def _years(states: pl.DataFrame, start: int, end: int | None, carry_forward: bool) -> tuple[int, int]:
    """The panel's years, checked: ``end`` defaults to the data's last year and may pass it only with
    ``carry_forward`` (and by at most :data:`MAX_CARRY_YEARS`)."""
    from pactnet.panel.universe import spans

    _, _, en = spans(states, None)
    last = _last_year(en)
    end = last if end is None else end
    if end < start:
        raise InputError(f"{end} is before start {start}", param="end")
    if end > last and not carry_forward:
        raise InputError(f"the state data ends in {last}; a panel to {end} needs carry_forward=True (states alive "
                         f"at the data's end are then carried on, as peacesciencer does)", param="end")
    if end > last + MAX_CARRY_YEARS:
        raise InputError(f"{end} is more than {MAX_CARRY_YEARS} years after the state data's last year ({last})",
                         param="end")
    return start, end


def _dyad_universe(states: pl.DataFrame, *, system: str = "cow", directed: bool = True, start: int = 1816,
                   end: int | None = None, exclude: pl.DataFrame | None = None, db: Any = None,
                   carry_forward: bool = False) -> Panel:
    import polars as pl

    from pactnet.panel.build import _exclude
    from pactnet.panel.universe import dyad_segments, spans

    _check_system(system)
    start, end = _years(states, start, end, carry_forward)
    code, st, en = spans(states, end)
    seg = dyad_segments(code, st, en, start, end, directed)
    if exclude is not None:
        seg = _exclude(seg, exclude, directed)
    c1, c2, year = seg.arrays()
    p = "gwcode" if system == "gw" else "ccode"
    frame = pl.DataFrame({f"{p}1": c1, f"{p}2": c2, "year": year})
    return Panel(frame, "dyad_year", system, directed, start, end, {}, db=db, seg=seg)


def _state_universe(states: pl.DataFrame, *, system: str = "cow", start: int = 1816, end: int | None = None,
                    db: Any = None, carry_forward: bool = False) -> Panel:
    import polars as pl

    from pactnet.panel.universe import spans, state_year_arrays

    _check_system(system)
    start, end = _years(states, start, end, carry_forward)
    code, st, en = spans(states, end)
    cc, yy = state_year_arrays(code, st, en, start, end)
    p = "gwcode" if system == "gw" else "ccode"
    return Panel(pl.DataFrame({p: cc, "year": yy}), "state_year", system, True, start, end, {}, db=db)
