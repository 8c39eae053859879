"""Convergent validity: the indicators against published measures of the same or a neighbouring concept
that no part of pactnet was fitted to (docs/indicators.md, "Convergent validity").

The external data are research files the user supplies (the test suite reads them from the shared data
folder): ATOP 5.1 (Leeds et al. 2002) as dyad-years and its military institutionalisation scores (Leeds &
Anac 2005), the Thompson & Dreyer (2011) strategic rivalries and COW National Material Capabilities v7.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from ..errors import InputError
from ._frame import load_inputs

__all__ = ["convergent_validity", "MEASURES"]

#: (indicator, external measure, expected sign of the rank correlation, what the measure is).
MEASURES: tuple[tuple[str, str, int, str], ...] = (
    ("deterrence_credibility", "atop_defense", +1, "ATOP 5.1: a defence pact with the patron that year (0/1)"),
    ("deterrence_credibility", "atop_milinst", +1,
     "ATOP military institutionalisation of the deepest alliance with the patron (0-2; allied years only)"),
    ("exit_ease", "atop_defense", -1, "ATOP 5.1: a defence pact with the patron that year (0/1)"),
    ("exit_ease", "atop_milinst", -1, "ATOP military institutionalisation (0-2; allied years only)"),
    ("leverage", "cinc_asymmetry", +1,
     "COW NMC v7: the patron's share of the pair's CINC, CINC_P / (CINC_P + CINC_p)"),
    ("hedging", "atop_pact_with_rival", +1,
     "ATOP 5.1: any pact (defence, offence, neutrality, non-aggression, consultation) with a strategic rival "
     "of the patron (Thompson & Dreyer) that year (0/1)"),
    ("hedging", "atop_pact_with_kb_rival", +1,
     "ATOP 5.1: any pact with a state the patron holds a rivalry tie with in the knowledge base that year (0/1; "
     "the rival set is pactnet's, the pacts are ATOP's)"),
    ("rival_pull", "atop_pact_with_kb_rival", +1,
     "ATOP 5.1: any pact with a state the patron holds a rivalry tie with in the knowledge base that year (0/1)"),
    ("rival_pull", "td_rivalry_with_rival", +1,
     "Thompson & Dreyer: the partner is itself a strategic rival of a strategic rival of the patron (0/1)"),
    ("halfway_house_exposure", "td_rivalry_with_rival", +1,
     "Thompson & Dreyer: the partner is itself a strategic rival of a strategic rival of the patron (0/1)"),
)


def _read(data: Path, rel: str) -> pl.DataFrame:
    path = data / rel
    if not path.exists():
        raise InputError(f"data_dir: {path} is missing (expected the shared research data: {rel})")
    return pl.read_csv(path, infer_schema_length=10000)


def _external(data: Path, patron_ccode: int, kb_rivals: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The external measures as ``ccode, year, value`` frames for the patron's dyads."""
    dyad = _read(data, "reference_outputs/atop_directed_dyad_years.csv.gz")
    td = _read(data, "covariates/td_rivalries.csv")
    rival_years = pl.concat([
        td.select(pl.col("ccode1").alias("x"), pl.col("ccode2").alias("y"), "styear", "endyear"),
        td.select(pl.col("ccode2").alias("x"), pl.col("ccode1").alias("y"), "styear", "endyear"),
    ]).with_columns(pl.int_ranges("styear", pl.col("endyear") + 1).alias("year")).explode("year")
    rival_years = rival_years.select("x", "y", "year")
    us_rivals = rival_years.filter(pl.col("x") == patron_ccode).select(pl.col("y").alias("rival"), "year")
    rivalry_with_rival = (rival_years.join(us_rivals, left_on=["y", "year"], right_on=["rival", "year"], how="semi")
                          .filter(pl.col("x") != patron_ccode).select(pl.col("x").alias("ccode"), "year").unique()
                          .with_columns(pl.lit(1).alias("value")))
    any_pact = pl.max_horizontal("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")
    pact_with_rival = (dyad.join(us_rivals, left_on=["ccode2", "year"], right_on=["rival", "year"], how="inner")
                       .filter(pl.col("ccode1") != patron_ccode)
                       .group_by(pl.col("ccode1").alias("ccode"), "year").agg(any_pact.max().alias("value")))
    kb_pacts = (dyad.join(kb_rivals, left_on=["ccode2", "year"], right_on=["rival", "year"], how="inner")
                .filter(pl.col("ccode1") != patron_ccode)
                .group_by(pl.col("ccode1").alias("ccode"), "year").agg(any_pact.max().alias("value")))
    defense = dyad.filter(pl.col("ccode1") == patron_ccode).select(
        pl.col("ccode2").alias("ccode"), "year", pl.col("atop_defense").alias("value"))
    members = _read(data, "atop5_1/atop5_1m.csv").select("atopid", "member", "yrent", "yrexit")
    inst = _read(data, "atop5_1/atopinst5_1.csv").group_by("atopid").agg(pl.col("milinst").max())
    members = members.with_columns(  # ATOP codes a membership running at its horizon (2018) as exit 0
        pl.when(pl.col("yrexit") == 0).then(2018).otherwise(pl.col("yrexit")).alias("yrexit"))
    years = (members.with_columns(pl.int_ranges("yrent", pl.col("yrexit") + 1).alias("year")).explode("year")
             .select("atopid", "member", "year").unique())
    shared = (years.filter(pl.col("member") == patron_ccode).select("atopid", "year")
              .join(years, on=["atopid", "year"]).filter(pl.col("member") != patron_ccode)
              .join(inst, on="atopid").group_by(pl.col("member").alias("ccode"), "year")
              .agg(pl.col("milinst").max().alias("value")))
    nmc = _read(data, "covariates/cow_nmc_v7.csv.gz").select("ccode", "year", "cinc")
    patron = nmc.filter(pl.col("ccode") == patron_ccode).select("year", pl.col("cinc").alias("_p"))
    asym = nmc.join(patron, on="year").select(
        "ccode", "year", (pl.col("_p") / (pl.col("_p") + pl.col("cinc"))).alias("value"))
    return {"atop_defense": defense, "atop_milinst": shared, "cinc_asymmetry": asym,
            "atop_pact_with_rival": pact_with_rival, "td_rivalry_with_rival": rivalry_with_rival,
            "atop_pact_with_kb_rival": kb_pacts}


def convergent_validity(data_dir: str | Path, *, patron: str = "USA", frame: pl.DataFrame | None = None,
                        db: Any = None, kb: Any = None, outliers: int = 5) -> pl.DataFrame:
    """Rank correlations of the indicators with external measures over the patron's partner-years.

    Parameters
    ----------
    data_dir : path
        The folder holding the research files (``atop5_1/``, ``covariates/``, ``reference_outputs/``).
    patron : actor id
    frame : polars.DataFrame, optional
        A :func:`~pactnet.indicators.compute` frame over the years to compare (default: 1945-2024).
    db, kb : as for :func:`~pactnet.indicators.compute`.
    outliers : int
        How many partner-years with the largest rank disagreement to list.

    Returns
    -------
    polars.DataFrame
        ``indicator, measure, expected, n, years, spearman, agrees`` (the sign is the expected one;
        ``spearman`` is null when the indicator or the measure is constant over the compared years),
        ``outliers`` (``"ACTOR year (indicator value, measure value)"``) and ``description``.
        Partner-years missing from the external data are left out; for a measure on allied years only,
        so are the others.
    """
    from .core import compute

    data = Path(data_dir)
    inputs = load_inputs(db=db, kb=kb)
    if frame is None:
        frame = compute(patron, inputs=inputs, network=False)
    ccodes = inputs.actors.select(pl.col("id").alias("actor"), "ccode")
    patron_code = ccodes.filter(pl.col("actor") == patron)["ccode"]
    if patron_code.is_empty() or patron_code[0] is None:
        raise InputError(f"patron: {patron!r} has no COW code to match the external data")
    ext = _external(data, int(patron_code[0]), _kb_rivals(inputs, patron, ccodes))
    base = frame.join(ccodes, on="actor").with_columns(pl.col("date").dt.year().alias("year"))
    rows = []
    for indicator, measure, sign, description in MEASURES:
        m = ext[measure]
        j = base.join(m, on=["ccode", "year"], how="inner") if measure in ("atop_milinst", "cinc_asymmetry") else (
            base.join(m, on=["ccode", "year"], how="left").with_columns(pl.col("value").fill_null(0)))
        if measure != "cinc_asymmetry" and measure != "atop_milinst":
            # binary measures exist only where the external data cover the year
            # ATOP ends in 2018, Thompson & Dreyer in 2010
            cover = (1945, 2018) if measure in ("atop_defense", "atop_pact_with_kb_rival") else (1945, 2010)
            j = j.filter(pl.col("year").is_between(*cover))
        if j.height < 3:
            rows.append({"indicator": indicator, "measure": measure, "expected": sign, "n": j.height,
                         "years": "", "spearman": None, "agrees": None, "outliers": "", "description": description})
            continue
        rho = j.select(pl.corr(indicator, "value", method="spearman")).item()
        rho = None if rho is None or rho != rho else float(rho)
        r_ind, r_val = pl.col(indicator).rank() / j.height, pl.col("value").rank() / j.height
        ranked = j.with_columns((r_ind - (r_val if sign > 0 else 1 - r_val)).abs().alias("_gap"))
        worst = ranked.sort("_gap", descending=True).head(outliers)
        rows.append({
            "indicator": indicator, "measure": measure, "expected": sign, "n": j.height,
            "years": f"{j['year'].min()}-{j['year'].max()}", "spearman": rho,
            "agrees": None if rho is None else (rho * sign > 0),
            "outliers": "; ".join(f"{r['actor']} {r['year']} ({r[indicator]:.2f}, {r['value']:.2f})"
                                  for r in worst.iter_rows(named=True)),
            "description": description,
        })
    return pl.DataFrame(rows)


def _kb_rivals(inputs: Any, patron: str, ccodes: pl.DataFrame) -> pl.DataFrame:
    """The states holding a ``rivalry`` tie with the patron at the end of each year: ``rival, year`` (COW codes)."""
    t = inputs.ties.filter(pl.col("kind") == "rivalry", (pl.col("source") == patron) | (pl.col("target") == patron))
    t = t.with_columns(pl.when(pl.col("source") == patron).then("target").otherwise("source").alias("actor"),
                       pl.col("start").dt.year().alias("y0"),
                       (pl.col("end").dt.year().fill_null(2024) - (pl.col("end").dt.month() < 12).fill_null(False)
                        .cast(pl.Int32)).alias("y1"))
    years = t.with_columns(pl.int_ranges("y0", pl.col("y1") + 1).alias("year")).explode("year").drop_nulls("year")
    return (years.join(ccodes, on="actor").select(pl.col("ccode").alias("rival"), pl.col("year").cast(pl.Int64))
            .drop_nulls().unique())

