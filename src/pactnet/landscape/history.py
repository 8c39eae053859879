"""Landscapes from the field's data held to history: propensities from data before the outcome.

Each :class:`HistoryCase` names the actors, the date of the data (before the outcome), the sides the
actors actually took and the actor whose predicted side is named after its actual one (the anchor).
:func:`score_case` builds the landscape with :func:`pactnet.landscape.propensity.landscape_from_data`,
solves it exactly and counts the actors the global minimum puts on the side they took, beside the
baseline that puts everyone on the larger side. ``docs/make_landscape_history.py`` renders the tables
of ``docs/landscape.md`` from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pactnet.errors import InputError
from pactnet.landscape.fielddata import FieldData

__all__ = ["HistoryCase", "HISTORY_CASES", "score_case"]


@dataclass(frozen=True)
class HistoryCase:
    """One historical test: actors, the date of the data, and the sides actually taken."""

    key: str
    title: str
    at: str
    sides: Mapping[str, tuple[str, ...]]
    anchor: str
    names: Mapping[str, str]
    outcome_source: str
    exclude_alliances: tuple[int, ...] = ()
    note: str = ""
    actors: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        acts = tuple(a for side in self.sides.values() for a in side)
        if len(self.sides) != 2:
            raise InputError(f"case {self.key}: expected two sides, got {len(self.sides)}")
        if len(set(acts)) != len(acts):
            raise InputError(f"case {self.key}: an actor is on both sides")
        if self.anchor not in acts:
            raise InputError(f"case {self.key}: anchor {self.anchor} is not one of the actors")
        object.__setattr__(self, "actors", acts)

    def side_of(self, actor: str) -> str:
        return next(name for name, members in self.sides.items() if actor in members)


_WW2 = {
    "GBR": "Britain", "FRA": "France", "COW315": "Czechoslovakia", "DNK": "Denmark", "GRC": "Greece",
    "RUS": "Soviet Union", "SRB": "Yugoslavia", "POL": "Poland", "PRT": "Portugal", "DEU": "Germany",
    "ITA": "Italy", "HUN": "Hungary", "ROU": "Romania", "FIN": "Finland", "EST": "Estonia", "LVA": "Latvia",
    "LTU": "Lithuania",
}
_CW = {
    "USA": "United States", "CAN": "Canada", "GBR": "Britain", "FRA": "France", "BEL": "Belgium",
    "NLD": "Netherlands", "LUX": "Luxembourg", "NOR": "Norway", "DNK": "Denmark", "ISL": "Iceland",
    "ITA": "Italy", "PRT": "Portugal", "GRC": "Greece", "TUR": "Turkey", "RUS": "Soviet Union",
    "POL": "Poland", "COW315": "Czechoslovakia", "HUN": "Hungary", "ROU": "Romania", "BGR": "Bulgaria",
    "ALB": "Albania",
}
_G20 = {
    "USA": "United States", "CAN": "Canada", "GBR": "Britain", "FRA": "France", "DEU": "Germany",
    "ITA": "Italy", "JPN": "Japan", "KOR": "South Korea", "AUS": "Australia", "RUS": "Russia", "CHN": "China",
    "IND": "India", "BRA": "Brazil", "ZAF": "South Africa", "SAU": "Saudi Arabia", "TUR": "Turkey",
    "IDN": "Indonesia", "ARG": "Argentina", "MEX": "Mexico",
}

#: The three cases of docs/landscape.md.
HISTORY_CASES: dict[str, HistoryCase] = {c.key: c for c in (
    HistoryCase(
        key="europe-1939",
        title="The Second World War in Europe, from data of 1938",
        at="1938-12-31",
        sides={"Allies": ("GBR", "FRA", "COW315", "DNK", "GRC", "RUS", "SRB", "POL", "PRT"),
               "Axis": ("DEU", "ITA", "HUN", "ROU", "FIN", "EST", "LVA", "LTU")},
        anchor="DEU",
        names=_WW2,
        outcome_source=("the wartime alignment as coded by Axelrod & Bennett (1993), BJPS 23(2), for their 17 "
                        "nations (pactnet.landscape.cases.EUROPE_1936['actual'])"),
        note="Yugoslavia is COW 345 (labelled SRB, the code's ISO3 today).",
    ),
    HistoryCase(
        key="blocs-1955",
        title="The Cold War blocs of 1955, from data of early 1949",
        at="1949-03-31",
        sides={"NATO": ("USA", "CAN", "GBR", "FRA", "BEL", "NLD", "LUX", "NOR", "DNK", "ISL", "ITA", "PRT",
                        "GRC", "TUR"),
               "Warsaw Pact": ("RUS", "POL", "COW315", "HUN", "ROU", "BGR", "ALB")},
        anchor="RUS",
        names=_CW,
        outcome_source=("membership in May 1955: NATO's twelve founders (1949) with Greece and Turkey (1952); "
                        "the Warsaw Pact's signatories of 14 May 1955"),
        exclude_alliances=(3180, 3285),
        note=("Data of 1949-03-31, days before the North Atlantic Treaty (ATOP 3180) was signed; NATO and the "
              "Warsaw Pact (ATOP 3285) are also left out explicitly. The two German states, which were not yet "
              "states in the COW system in early 1949 (no capabilities), are not among the actors."),
    ),
    HistoryCase(
        key="sanctions-2022",
        title="Sanctions on Russia among the G20 states in 2022, from data of 2021",
        at="2021-12-31",
        sides={"sanctions": ("USA", "CAN", "GBR", "FRA", "DEU", "ITA", "JPN", "KOR", "AUS"),
               "no sanctions": ("RUS", "CHN", "IND", "BRA", "ZAF", "SAU", "TUR", "IDN", "ARG", "MEX")},
        anchor="RUS",
        names=_G20,
        outcome_source=("G20 states that joined the sanctions on Russia after 24 February 2022 (the US, Britain, "
                        "the EU's France, Germany and Italy, Canada, Japan, South Korea, Australia) and those that "
                        "did not (Bloomberg, 5 August 2022, as reported at "
                        "https://uaposition.com/latest-news/nine-g20-countries-did-not-support-anti-russian-"
                        "sanctions/; South Korea's export controls and financial measures: "
                        "https://tradesecure.net/2022/03/28/beyond-the-west-countries-joining-sanctions-on-russia/)"),
        note=("'No sanctions' is not 'on Russia's side'; the two-coalition model can only say with whom each "
              "state is grouped. The EU, a G20 member, is not a state and is left out."),
    ),
)}


def score_case(case: HistoryCase, data: FieldData, *, ties: Sequence[Mapping[str, Any]] | None = None,
               db: Any = None, weights: Mapping[str, float] | None = None, seed: int = 0,
               basins: bool = True) -> dict[str, Any]:
    """Solve a case exactly and compare its global minimum with the sides actually taken.

    ``basins=False`` skips the basins (``basin`` is then ``None``).

    Returns
    -------
    dict
        ``case``, ``landscape``, ``result`` (:class:`LandscapeResult`), ``rows`` (one per actor: id,
        name, actual and predicted side, ``correct``), ``correct``, ``n``, ``baseline`` (actors on the
        larger actual side), ``minima`` and ``basin`` (of the global minimum, lowest-index order).
    """
    from pactnet.landscape.propensity import landscape_from_data
    from pactnet.landscape.solver import solve

    land = landscape_from_data(case.at, case.actors, data, ties=ties, db=db, weights=weights,
                               exclude_alliances=case.exclude_alliances)
    res = solve(land, seed=seed, method="exact", basin_method="auto" if basins else "none")
    best = np.asarray(res.global_minimum.config)
    anchor_side = best[land.index(case.anchor)]
    own = case.side_of(case.anchor)
    other = next(s for s in case.sides if s != own)
    rows = []
    for lab in case.actors:
        pred = own if best[land.index(lab)] == anchor_side else other
        actual = case.side_of(lab)
        rows.append({"actor": lab, "name": case.names.get(lab, lab), "actual": actual, "predicted": pred,
                     "correct": pred == actual})
    return {
        "case": case, "landscape": land, "result": res, "rows": rows,
        "correct": sum(r["correct"] for r in rows), "n": len(rows),
        "baseline": max(len(m) for m in case.sides.values()),
        "minima": len(res.minima), "basin": res.global_minimum.basin,
    }
