"""Views over data that may not exist yet: indicators (the optional ``pactnet.indicators`` package), the alignment
landscape (needs COW capabilities in the store) and simulation ensembles (Parquet files in a folder the server is
given). Each returns ``{"available": False, "reason": ...}`` when its data is missing, so that the dashboard can say
what to do instead of failing.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import re
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..schema import LEVELS
from ..store import Store

__all__ = ["indicators_view", "landscape_view", "simulation_list", "simulation_view", "INDICATORS", "LANDSCAPE_MAX"]

#: The indicator fields the indicators package documents (issue 10); any other numeric column is shown too.
INDICATORS = ("deterrence_credibility", "exit_ease", "leverage", "entrapment_risk", "halfway_house_exposure",
              "hedging", "rival_pull")
#: The largest landscape the dashboard solves on request (exhaustively, in well under a second).
LANDSCAPE_MAX = 14
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$")


def _unavailable(reason: str, **extra: Any) -> dict[str, Any]:
    return {"available": False, "reason": reason, **extra}


def indicators_view(patron: str = "USA", actors: list[str] | None = None, indicator: str | None = None, *,
                    start: int = 1990, end: int = 2024, db: Any = None) -> dict[str, Any]:
    """Yearly values of one indicator for chosen partners, from ``pactnet.indicators.compute``."""
    if importlib.util.find_spec("pactnet.indicators") is None:
        return _unavailable("The indicators package (pactnet.indicators) is not installed in this version of "
                            "pactnet; this view lights up once it is.")
    mod = importlib.import_module("pactnet.indicators")
    compute = getattr(mod, "compute", None)
    if compute is None:
        return _unavailable("pactnet.indicators has no compute() function; this view expects the documented API.")
    offered = {"patron": patron, "start": start, "end": end, "db": db}
    params = inspect.signature(compute).parameters
    frame = compute(**{k: v for k, v in offered.items() if k in params})
    rows = frame.to_dicts() if hasattr(frame, "to_dicts") else list(frame)
    if not rows:
        return _unavailable(f"pactnet.indicators.compute returned no rows for patron {patron!r}.")
    if hasattr(frame, "schema"):
        numeric = [c for c, t in frame.schema.items() if t.is_numeric()]
    else:
        numeric = [k for k, v in rows[0].items() if isinstance(v, int | float) and not isinstance(v, bool)]
    numeric = [c for c in numeric if c != "year" and not c.endswith(("ccode", "rank"))]
    names = [i for i in INDICATORS if i in numeric] + [k for k in numeric if k not in INDICATORS]
    if not names:
        return _unavailable("pactnet.indicators.compute returned no numeric indicator columns.")
    indicator = indicator or names[0]
    if indicator not in names:
        raise InputError(f"indicator: unknown indicator {indicator!r}; expected one of {', '.join(names)}")
    if actors:
        known = {r.get("actor") for r in rows}
        for a in actors:
            if a not in known:
                raise InputError(f"actors: no indicator rows for actor {a!r}")
    else:  # the five partners with the highest latest value
        latest: dict[str, tuple[str, float]] = {}
        for r in rows:
            d = str(r.get("date") or r.get("year"))
            if r.get(indicator) is not None and (r["actor"] not in latest or d >= latest[r["actor"]][0]):
                latest[r["actor"]] = (d, r[indicator])
        actors = [a for a, _ in sorted(latest.items(), key=lambda kv: -kv[1][1])[:5]]
    series = {a: sorted((str(r.get("date") or r.get("year")), r[indicator]) for r in rows
                        if r.get("actor") == a and r.get(indicator) is not None) for a in actors}
    return {"available": True, "patron": patron, "indicator": indicator, "indicators": names, "series": series}


def landscape_view(at: str = "2021-12-31", actors: list[str] | None = None, *, view: str = "record",
                   db: Any = None) -> dict[str, Any]:
    """Axelrod-Bennett alignment of chosen states at a date (sizes from the store's COW capabilities)."""
    store = db if isinstance(db, Store) else Store(db)
    if not store.has_table("nmc_capabilities"):
        return _unavailable("The landscape needs the states' sizes: import the COW national material capabilities "
                            "first ('pactnet import nmc PATH').")
    actors = actors or ["USA", "GBR", "FRA", "DEU", "POL", "TUR", "UKR", "RUS", "CHN", "IND", "PAK", "JPN"]
    if len(actors) > LANDSCAPE_MAX:
        raise InputError(f"actors: at most {LANDSCAPE_MAX} states, got {len(actors)}")
    try:
        from ..landscape import landscape_from_kb, solve
    except ModuleNotFoundError as exc:
        return _unavailable(f"The landscape model needs the 'models' extra ({exc.name} is missing).")
    land = landscape_from_kb(at, actors, view=view, db=store)
    res = solve(land, 2, basin_method="none", seed=0).to_dict()
    minima = [{"rank": m["rank"], "energy": m["energy"], "sides": m["sides"]} for m in res["minima"][:6]]
    return {"available": True, "at": at, "labels": res["labels"], "sizes": res["sizes"], "minima": minima,
            "method": res["method"]}


def simulation_list(sim_dir: str | Path | None) -> list[str]:
    """Names (file stems) of the ensemble Parquet files in the server's simulation folder."""
    if sim_dir is None or not Path(sim_dir).is_dir():
        return []
    return sorted(p.stem for p in Path(sim_dir).glob("*.parquet") if _NAME.match(p.stem) and p.is_file())


def simulation_view(sim_dir: str | Path | None, name: str | None = None) -> dict[str, Any]:
    """Quantiles per year and level of an ensemble's portfolio. The browser names an ensemble, never a path: the
    name must be one of :func:`simulation_list`.

    Reads the ensembles of ``pactnet sim run`` (``replica, year, n_1 ... n_5`` with the level names in the file's
    ``pactnet`` metadata), long tables (``replica, year, level, ties``) and wide ones (``replica, year`` and one
    column per level).
    """
    names = simulation_list(sim_dir)
    if not names:
        where = f"in {Path(sim_dir).name}/" if sim_dir else "(no simulation folder was given to the server)"
        return _unavailable(f"No simulation ensembles {where}. Run 'pactnet sim run SCENARIO --out "
                            f"DIR/NAME.parquet' and start the server with --sim-dir DIR.", ensembles=[])
    name = name or names[0]
    if name not in names:
        raise InputError(f"ensemble: unknown ensemble {name!r}; expected one of {', '.join(names)}")
    import polars as pl
    import pyarrow.parquet as pq

    path = Path(sim_dir) / f"{name}.parquet"
    schema = pq.read_schema(path)
    cols = set(schema.names)
    counts = sorted(c for c in cols if re.fullmatch(r"n_\d+", c))
    meta = json.loads((schema.metadata or {}).get(b"pactnet", b"{}"))
    if {"replica", "year"} <= cols and counts and meta.get("levels"):
        # pactnet sim's ensembles: n_<k> counts the ties at level meta["levels"][k] per replica and year
        level_of = {f"n_{k}": lv for k, lv in enumerate(meta["levels"])}
        frame = pl.read_parquet(path, columns=["replica", "year", *counts])
        long = (frame.unpivot(index=["replica", "year"], on=counts, variable_name="level", value_name="ties")
                .with_columns(pl.col("level").replace_strict(level_of, default=None)))
        return _fan(name, names, long)
    frame = pl.read_parquet(path)
    if {"replica", "year", "level"} <= cols:
        value = next((c for c in ("ties", "count", "n") if c in cols), None)
        if value is None:
            return _unavailable(f"ensemble {name}: a long table needs a count column 'ties'; found "
                                f"{', '.join(frame.columns)}", ensembles=names)
        long = frame.select("replica", "year", "level", pl.col(value).alias("ties"))
    elif {"replica", "year"} <= cols and cols & set(LEVELS):
        long = frame.unpivot(index=["replica", "year"], on=[lv for lv in LEVELS if lv in cols],
                             variable_name="level", value_name="ties")
    else:
        return _unavailable(f"ensemble {name}: expected columns replica, year and level + ties (or one column per "
                            f"level); found {', '.join(frame.columns)}", ensembles=names)
    return _fan(name, names, long)


def _fan(name: str, names: list[str], long: Any) -> dict[str, Any]:
    """Quantiles across replicas of the ties per year and level."""
    import polars as pl

    q = (long.group_by("year", "level")
         .agg([pl.col("ties").quantile(p, interpolation="linear").alias(f"q{int(p * 100):02d}")
               for p in (0.05, 0.25, 0.5, 0.75, 0.95)])
         .sort("year", "level"))
    years = sorted(q["year"].unique().to_list())
    levels = {}
    for lv in [lv for lv in LEVELS if lv in set(q["level"].to_list())]:
        sub = {r["year"]: r for r in q.filter(pl.col("level") == lv).to_dicts()}
        levels[lv] = {k: [float(sub[y][k]) if y in sub else 0.0 for y in years]
                      for k in ("q05", "q25", "q50", "q75", "q95")}
    return {"available": True, "name": name, "ensembles": names, "replicas": long["replica"].n_unique(),
            "years": years, "levels": levels}
