"""Published cases: Axelrod & Bennett's Europe of 1936 (what of it can be checked without the matrix).

The paper's 17x17 propensity matrix (BJPS 23(2), reprinted in Axelrod, *The Complexity of
Cooperation*, 1997, ch. 4) is not in the project's references. This module holds what is: the
nations, COW capability shares, the published main minimum and the actual alignment. Pass the
matrix (a labelled CSV with these 17 labels) to :func:`europe_1936` to build the landscape.
"""

from __future__ import annotations

from math import comb
from pathlib import Path

import numpy as np

from pactnet.errors import InputError

__all__ = ["EUROPE_1936", "europe_1936", "agreement", "chance_within"]

_NATIONS = ("Britain", "France", "Czechoslovakia", "Denmark", "Estonia", "Finland", "Germany",
            "Greece", "Hungary", "Italy", "Latvia", "Lithuania", "Poland", "Portugal", "Romania",
            "Soviet Union", "Yugoslavia")

#: Europe 1936. ``sizes``: COW CINC shares as hard-coded in the Glynne-Jones replication (which calls
#: them its 1938 data), quoted in models.md section 1.1 [secondary]. ``published``: the paper's main
#: minimum; ``actual``: the alignment in the Second World War in the paper's coding (1 = Axis).
EUROPE_1936 = {
    "labels": _NATIONS,
    "sizes": {"Britain": .0778, "Czechoslovakia": .0130, "Denmark": .0020, "Estonia": .0006,
              "Finland": .0019, "France": .0456, "Germany": .1542, "Greece": .0037,
              "Hungary": .0047, "Italy": .0318, "Latvia": .0013, "Lithuania": .0011,
              "Poland": .0196, "Portugal": .0027, "Romania": .0081, "Soviet Union": .1644,
              "Yugoslavia": .0063},
    "published": {"Allies": ("Britain", "France", "Czechoslovakia", "Denmark", "Greece",
                             "Soviet Union", "Yugoslavia"),
                  "Axis": ("Poland", "Portugal", "Germany", "Italy", "Hungary", "Romania",
                           "Finland", "Estonia", "Latvia", "Lithuania")},
    "actual": {"Allies": ("Britain", "France", "Czechoslovakia", "Denmark", "Greece",
                          "Soviet Union", "Yugoslavia", "Poland", "Portugal"),
               "Axis": ("Germany", "Italy", "Hungary", "Romania", "Finland", "Estonia", "Latvia",
                        "Lithuania")},
    "source": "Axelrod & Bennett (1993), BJPS 23(2):211-233; models.md section 1.1",
}


def _config(sides: dict[str, tuple[str, ...]]) -> np.ndarray:
    x = np.zeros(len(_NATIONS), dtype=np.int8)
    for lab in sides["Axis"]:
        x[_NATIONS.index(lab)] = 1
    return x


def europe_1936(propensity_csv: str | Path):
    """The 1936 landscape from the paper's matrix (a labelled CSV with the 17 nation labels).

    Returns
    -------
    (Landscape, numpy.ndarray, numpy.ndarray)
        The landscape, the published main minimum and the actual alignment (1 = Axis).
    """
    from pactnet.landscape.data import read_propensity_csv
    from pactnet.landscape.model import Landscape

    labels, P = read_propensity_csv(propensity_csv)
    if sorted(labels) != sorted(_NATIONS):
        raise InputError(f"{propensity_csv}: expected the 17 nations {', '.join(_NATIONS)}")
    order = [labels.index(x) for x in _NATIONS]
    P = P[np.ix_(order, order)]
    sizes = np.array([EUROPE_1936["sizes"][x] for x in _NATIONS])
    land = Landscape(_NATIONS, sizes, P, provenance={"case": EUROPE_1936["source"],
                                                      "propensity": str(propensity_csv)})
    return land, _config(EUROPE_1936["published"]), _config(EUROPE_1936["actual"])


def agreement(x, y) -> int:
    """How many actors two two-coalition configurations place alike (up to swapping the sides)."""
    x, y = np.asarray(x), np.asarray(y)
    same = int((x == y).sum())
    return max(same, x.size - same)


def chance_within(n: int, distance: int) -> float:
    """Probability that a uniformly random bipartition of n actors is within ``distance`` moves.

    Counts the bipartitions within Hamming distance ``distance`` of a given one, out of
    ``2**(n-1)``; for n = 17 and distance 2 this is 154 / 65,536.
    """
    return sum(comb(n, d) for d in range(distance + 1)) / 2 ** (n - 1)
