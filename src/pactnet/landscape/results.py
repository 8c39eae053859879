"""Result objects of the landscape solvers and their JSON form."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from pactnet.landscape.model import Landscape, frustration, sides

__all__ = ["Minimum", "LandscapeResult", "wilson_interval"]


def wilson_interval(hits: int, total: int, z: float = 1.959963984540054) -> tuple[float, float]:
    r"""Wilson score interval for a binomial share ``hits / total`` (95% by default).

    .. math::
        \frac{\hat p + z^2/2N \pm z\sqrt{\hat p(1-\hat p)/N + z^2/4N^2}}{1 + z^2/N}

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
       inference. JASA 22(158), 209-212.
    """
    if total <= 0:
        return (0.0, 1.0)
    p = hits / total
    z2 = z * z
    den = 1.0 + z2 / total
    centre = (p + z2 / (2 * total)) / den
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / den
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class Minimum:
    """One local minimum of the energy.

    ``basin`` is the share of starting configurations from which the deterministic dynamics (the
    result's ``order``) end here; ``basin_ci`` its 95% Wilson interval when sampled (``None`` when
    exact). ``basin_random`` is the probability of ending here from a uniformly random start when
    the moving actor is chosen at random (Izquierdo et al. 2009), with ``basin_random_ci`` when
    estimated by Monte Carlo. ``hits`` counts heuristic runs that ended here.
    """

    config: np.ndarray
    energy: float
    basin: float | None = None
    basin_ci: tuple[float, float] | None = None
    basin_random: float | None = None
    basin_random_ci: tuple[float, float] | None = None
    hits: int | None = None


@dataclass
class LandscapeResult:
    """Everything a solver found: the minima (lowest energy first) and how they were found."""

    landscape: Landscape
    k: int
    minima: list[Minimum]
    method: str
    order: str
    basin_method: str
    configurations: int | None = None
    samples: int | None = None
    runs: int | None = None
    lower_bound: dict | None = None
    seed: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def global_minimum(self) -> Minimum:
        return self.minima[0]

    def to_dict(self) -> dict:
        """JSON-ready summary (energies in the ordered-pair convention plus the unordered value)."""
        land = self.landscape
        out_min = []
        for r, m in enumerate(self.minima):
            fr = frustration(land, m.config)
            d = {
                "rank": r + 1,
                "energy": _num(m.energy),
                "energy_unordered": _num(m.energy / 2.0),
                "global": bool(r == 0 and self.method == "exhaustive"),
                "sides": sides(land, m.config),
                "basin": _num(m.basin),
                "basin_ci": _pair(m.basin_ci),
                "basin_random": _num(m.basin_random),
                "basin_random_ci": _pair(m.basin_random_ci),
                "frustration": {lab: _num(v) for lab, v in zip(land.labels, fr, strict=True)},
            }
            if m.hits is not None:
                d["hits"] = int(m.hits)
            out_min.append(d)
        best = self.minima[0].energy if self.minima else None
        lb = dict(self.lower_bound) if self.lower_bound else None
        if lb is not None and best is not None:
            lb["gap"] = _num(best - lb["value"])
        return {
            "model": "axelrod-bennett-1993",
            "energy_convention": (
                "energy = sum over ordered pairs i != j of s_i s_j p_ij d_ij (each pair counted twice,"
                " as in Axelrod & Bennett 1993); energy_unordered = energy / 2"
            ),
            "coalitions": self.k,
            "method": self.method,
            "move_order": self.order,
            "basin_method": self.basin_method,
            "configurations": self.configurations,
            "samples": self.samples,
            "runs": self.runs,
            "seed": self.seed,
            "labels": list(land.labels),
            "sizes": {lab: _num(v) for lab, v in zip(land.labels, land.sizes, strict=True)},
            "pinned": dict(land.pinned),
            "n_minima": len(self.minima),
            "minima": out_min,
            "lower_bound": lb,
            "provenance": _jsonable(land.provenance),
            "notes": list(self.notes),
        }


def _jsonable(v):
    """Provenance made JSON-ready: arrays become nested lists, NumPy scalars plain numbers."""
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    return v


def _num(v):
    if v is None:
        return None
    v = float(v)
    return round(v, 12) if math.isfinite(v) else None


def _pair(p):
    return None if p is None else [_num(p[0]), _num(p[1])]

