"""The briefing's judgements as checks on the indicator frame (docs/indicators.md, "Judgements").

Each :class:`Judgement` reads the frame :func:`~pactnet.indicators.compute` returns for the US over the
years it needs and says whether the judgement holds, with the figures it compared. The tests assert them
through the API; :func:`~pactnet.indicators.sensitivity` re-checks them under varied weights.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from ._frame import Inputs

__all__ = ["Judgement", "JUDGEMENTS", "check_judgements", "YEARS"]

#: The years the judgements read (year ends).
YEARS = (2000, 2024)


@dataclass(frozen=True)
class Judgement:
    """One judgement of the briefing: its name, the passages it rests on, and its check."""

    name: str
    passage: str
    claim: str
    check: Callable[[pl.DataFrame, Inputs], tuple[bool, str]]


def _val(f: pl.DataFrame, actor: str, year: int, col: str) -> float:
    row = f.filter(pl.col("actor") == actor, pl.col("date") == dt.date(year, 12, 31))
    return float(row[col][0]) if row.height else float("nan")


def _year(f: pl.DataFrame, year: int) -> pl.DataFrame:
    return f.filter(pl.col("date") == dt.date(year, 12, 31))


def _ukr_highest(f: pl.DataFrame, _: Inputs) -> tuple[bool, str]:
    y = _year(f, 2021).sort("halfway_house_exposure", descending=True)
    top, second = y.row(0, named=True), y.row(1, named=True)
    ok = top["actor"] == "UKR" and top["halfway_house_exposure"] > second["halfway_house_exposure"]
    return ok, (f"highest {top['actor']} {top['halfway_house_exposure']:.3f}, next {second['actor']} "
                f"{second['halfway_house_exposure']:.3f}")


def _nordics_above_median(f: pl.DataFrame, _: Inputs) -> tuple[bool, str]:
    y = _year(f, 2021)
    med = float(y["halfway_house_exposure"].median())
    fin, swe = _val(f, "FIN", 2021, "halfway_house_exposure"), _val(f, "SWE", 2021, "halfway_house_exposure")
    return fin > med and swe > med, f"FIN {fin:.3f}, SWE {swe:.3f}, median {med:.3f} ({y.height} partners)"


def _falls_after_accession(f: pl.DataFrame, _: Inputs) -> tuple[bool, str]:
    col = "halfway_house_exposure"
    fin = (_val(f, "FIN", 2022, col), _val(f, "FIN", 2023, col))
    swe = (_val(f, "SWE", 2023, col), _val(f, "SWE", 2024, col))
    return fin[1] < fin[0] and swe[1] < swe[0], (f"FIN 2022 {fin[0]:.3f} -> 2023 {fin[1]:.3f}; "
                                                 f"SWE 2023 {swe[0]:.3f} -> 2024 {swe[1]:.3f}")


def _pak_entrapment(f: pl.DataFrame, _: Inputs) -> tuple[bool, str]:
    fails = []
    for year in range(2002, 2012):
        y = _year(f, year)
        pak = _val(f, "PAK", year, "entrapment_risk")
        rest = y.filter(pl.col("actor") != "PAK")["entrapment_risk"].max()
        if not pak > rest:
            fails.append(f"{year}: PAK {pak:.3f} vs max other {rest:.3f}")
    lo = min(_val(f, "PAK", y, "entrapment_risk") for y in range(2002, 2012))
    return not fails, "; ".join(fails) if fails else f"PAK above every other partner in 2002-2011 (min {lo:.3f})"


def _leverage_sau_pak(f: pl.DataFrame, _: Inputs) -> tuple[bool, str]:
    fails = [y for y in range(2002, 2022)
             if not _val(f, "SAU", y, "leverage") > _val(f, "PAK", y, "leverage")]
    return not fails, (f"2021: SAU {_val(f, 'SAU', 2021, 'leverage'):.3f}, PAK {_val(f, 'PAK', 2021, 'leverage'):.3f}"
                       + (f"; fails in {fails}" if fails else "; SAU above PAK in every year 2002-2021"))


def _nato_allies(inputs: Inputs, patron: str, day: dt.date) -> set[str]:
    t = inputs.ties.filter(pl.col("id").str.starts_with("via:NATO:"), pl.col("start") <= day,
                           pl.col("end").is_null() | (pl.col("end") >= day))
    t = t.filter((pl.col("source") == patron) | (pl.col("target") == patron))
    return set(t["source"].to_list() + t["target"].to_list()) - {patron}


def _afg_exit(f: pl.DataFrame, inputs: Inputs) -> tuple[bool, str]:
    allies = _nato_allies(inputs, "USA", dt.date(2020, 12, 31))
    y = _year(f, 2020)
    nato = y.filter(pl.col("actor").is_in(sorted(allies)))
    afg = _val(f, "AFG", 2020, "exit_ease")
    top = float(nato["exit_ease"].max()) if nato.height else float("nan")
    return bool(nato.height) and afg > top, f"AFG {afg:.3f}, highest of {nato.height} NATO allies {top:.3f}"


def _india_hedging_rises(f: pl.DataFrame, _: Inputs) -> tuple[bool, str]:
    h17, h18 = _val(f, "IND", 2017, "hedging"), _val(f, "IND", 2018, "hedging")
    return h18 > h17, f"2017 {h17:.3f} -> 2018 {h18:.3f}"


def _india_hedging_high(f: pl.DataFrame, _: Inputs) -> tuple[bool, str]:
    y = _year(f, 2022)
    hedgers = y.filter(pl.col("hedging") > 0)
    h22 = _val(f, "IND", 2022, "hedging")
    rank = int((y["hedging"] > h22).sum()) + 1
    decile = math.ceil(0.1 * y.height)
    median = hedgers["hedging"].median() if hedgers.height else None
    return h22 > 0 and rank <= decile, (f"2022 {h22:.3f}, rank {rank} of {y.height} partners (top decile: rank <= "
                                        f"{decile}); {hedgers.height} hedge at all, their median "
                                        f"{float('nan') if median is None else float(median):.3f}")


def _pakistan_hedging(f: pl.DataFrame, _: Inputs) -> tuple[bool, str]:
    h17, h18 = _val(f, "PAK", 2017, "hedging"), _val(f, "PAK", 2018, "hedging")
    return h18 > h17, f"2017 {h17:.3f} -> 2018 {h18:.3f} (the GWOT partnership broke down on 2018-01-04)"


def _taiwan_ukraine(f: pl.DataFrame, _: Inputs) -> tuple[bool, str]:
    twn, ukr = _val(f, "TWN", 2021, "deterrence_credibility"), _val(f, "UKR", 2021, "deterrence_credibility")
    return twn > ukr, f"TWN {twn:.3f}, UKR {ukr:.3f}"


JUDGEMENTS: tuple[Judgement, ...] = (
    Judgement("exposure_ukraine_highest_2021", "L43, L45, L47",
              "Halfway-house exposure at the end of 2021: Ukraine highest among US partners", _ukr_highest),
    Judgement("exposure_finland_sweden_above_median_2021", "L43, L49",
              "Finland and Sweden above the median exposure of US partners at the end of 2021", _nordics_above_median),
    Judgement("exposure_falls_after_accession", "L7, L49, L71",
              "Finland's exposure falls on accession (2023), Sweden's too (2024)", _falls_after_accession),
    Judgement("entrapment_pakistan_2002_2011", "L37, L39",
              "US entrapment risk with Pakistan above every other US partner's, each year 2002-2011", _pak_entrapment),
    Judgement("leverage_saudi_over_pakistan", "L35, L37",
              "More US leverage over Saudi Arabia than over Pakistan (each year 2002-2021)", _leverage_sau_pak),
    Judgement("exit_afghanistan_2020_above_nato", "L3, L33",
              "Exit ease of the US-Afghanistan partnership in 2020 above every NATO tie", _afg_exit),
    Judgement("hedging_india_rises_2018", "L55", "India's hedging rises in 2018 (the S-400 deal)",
              _india_hedging_rises),
    Judgement("hedging_india_among_highest_2022", "L55",
              "India's hedging in 2022 is among the highest of US partners (in their top decile)",
              _india_hedging_high),
    Judgement("hedging_pakistan_rises_after_fallout", "L57",
              "Pakistan's hedging rises after its fallout with the US (2018 against 2017)", _pakistan_hedging),
    Judgement("deterrence_taiwan_above_ukraine_2021", "L61",
              "Deterrence credibility of the US tie in 2021: Taiwan above Ukraine", _taiwan_ukraine),
)


def check_judgements(frame: pl.DataFrame, inputs: Inputs) -> pl.DataFrame:
    """Check every judgement on a US indicator frame covering 2000-2024 (year ends).

    Returns
    -------
    polars.DataFrame
        ``judgement, passage, claim, holds, detail``.
    """
    rows = []
    for j in JUDGEMENTS:
        holds, detail = j.check(frame, inputs)
        rows.append({"judgement": j.name, "passage": j.passage, "claim": j.claim, "holds": bool(holds),
                     "detail": detail})
    return pl.DataFrame(rows)
