"""Hindcast: run ``historical-2000`` from the knowledge base's 2000 state and score it on the patron's tie
transitions that actually happened, calibrating on 2001-2014 only and scoring 2015-2024 out of sample.

Outcomes of a partner-year: 0 none, 1 formation (0 -> >0), 2 upgrade, 3 downgrade, 4 exit (>0 -> 0). The Brier
score of a partner-year is sum_k (p_k - o_k)^2 over the five outcomes; the model's p is the ensemble frequency.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .model import CALIBRATED, LEVELS, PARAMETERS, Compiled, prior_params, simulate

__all__ = ["OUTCOMES", "transitions", "brier", "share_reproduced", "calibrate", "hindcast", "HindcastResult"]

OUTCOMES = ("none", "formation", "upgrade", "downgrade", "exit")


def transitions(levels: np.ndarray) -> np.ndarray:
    """Outcome codes between consecutive years: levels shaped (T, ...) give codes shaped (T-1, ...)."""
    a, b = levels[:-1].astype(np.int16), levels[1:].astype(np.int16)
    out = np.zeros(a.shape, dtype=np.int8)
    out[(a == 0) & (b > 0)] = 1
    out[(a > 0) & (b > a)] = 2
    out[(b > 0) & (b < a)] = 3
    out[(a > 0) & (b == 0)] = 4
    return out


def _probabilities(codes: np.ndarray) -> np.ndarray:
    """Ensemble codes (T-1, R, n) -> outcome probabilities (T-1, n, 5)."""
    return np.stack([(codes == k).mean(axis=1) for k in range(len(OUTCOMES))], axis=-1)


def brier(prob: np.ndarray, observed: np.ndarray) -> float:
    """Mean over partner-years of sum_k (p_k - o_k)^2; prob (..., 5), observed codes (...)."""
    return float(_brier_cells(prob, observed).mean())


def _brier_cells(prob: np.ndarray, observed: np.ndarray) -> np.ndarray:
    onehot = np.eye(len(OUTCOMES))[observed]
    return ((prob - onehot) ** 2).sum(axis=-1)


def _difference_interval(a: np.ndarray, b: np.ndarray, seed: int, n_boot: int = 2000) -> tuple[float, float]:
    """95% interval of mean(a) - mean(b) for cell scores shaped (years, partners), resampling partners."""
    rng = np.random.default_rng(seed)
    d = (a - b).mean(axis=0)                                   # per partner, averaged over the years
    picks = rng.integers(0, d.size, size=(n_boot, d.size))
    boot = d[picks].mean(axis=1)
    return float(np.quantile(boot, 0.025)), float(np.quantile(boot, 0.975))


def share_reproduced(codes: np.ndarray, observed: np.ndarray, window: int = 2) -> tuple[float, int]:
    """Share of observed transitions (type k, partner i, year y) that a replica makes (same type, same partner)
    within ``window`` years, averaged over replicas and transitions; and the number of transitions."""
    T = observed.shape[0]
    hits = []
    for y, i in zip(*np.nonzero(observed), strict=True):
        k = observed[y, i]
        lo, hi = max(0, y - window), min(T, y + window + 1)
        hits.append((codes[lo:hi, :, i] == k).any(axis=0).mean())
    return (float(np.mean(hits)) if hits else float("nan")), len(hits)


def _truncate(comp: Compiled, T: int) -> Compiled:
    cut = {f: getattr(comp, f)[:T] for f in ("years", "salience", "threat", "neighbour_attacked", "rival_pull",
                                             "offer", "budget", "withdraw_partner", "withdraw_campaign")}
    return replace(comp, **cut)


def _base_rates(observed: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Outcome frequencies by prior state (0: no tie, 1: a tie): shape (2, 5)."""
    out = np.zeros((2, len(OUTCOMES)))
    for s in (0, 1):
        mask = (prior > 0) == bool(s)
        if mask.any():
            out[s] = np.bincount(observed[mask], minlength=len(OUTCOMES)) / mask.sum()
    return out


def calibrate(comp: Compiled, observed_levels: np.ndarray, *, last: int, replicas: int = 400, seed: int = 0,
              names: tuple[str, ...] = CALIBRATED, step: float = 0.5, passes: int = 2
              ) -> tuple[dict[str, float], float]:
    """Coordinate search over ``names`` (grid ``step`` within each range) minimising the Brier score on years
    ``1..last`` (indices into ``comp.years``), with common random numbers. Returns the values and the score."""
    short = _truncate(comp, last + 1)
    obs = transitions(observed_levels[: last + 1])

    def score(c: Compiled) -> float:
        levels, _ = simulate(c, replicas, np.random.default_rng(seed))
        return brier(_probabilities(transitions(levels)), obs)

    best = {k: float(comp.params[k]) for k in names}
    best_score = score(short)
    for _ in range(passes):
        for name in names:
            p = PARAMETERS[name]
            for v in np.arange(p.low, p.high + 1e-9, step):
                trial = {**best, name: float(v)}
                s = score(short.with_params(**trial))
                if s < best_score - 1e-12:
                    best, best_score = trial, s
    return best, best_score


@dataclass(frozen=True)
class HindcastResult:
    """The hindcast's scores by period and the calibrated parameters."""

    rows: list[dict[str, Any]]
    calibrated: dict[str, float]
    priors: dict[str, float]
    replicas: int
    seed: int
    by_type: list[dict[str, Any]]
    by_transition: list[dict[str, Any]]
    portfolio: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"periods": self.rows, "by_type": self.by_type, "by_transition": self.by_transition,
                "portfolio": self.portfolio,
                "calibrated": self.calibrated,
                "priors": self.priors, "replicas": self.replicas, "seed": self.seed}


def hindcast(*, replicas: int = 2000, seed: int = 1, calibrate_replicas: int = 400, calibrate_split: int = 2014,
             db: Any = None, calibrate_params: bool = True) -> HindcastResult:
    """Score ``historical-2000`` against the knowledge base's transitions 2001-2024.

    The intercepts of ``CALIBRATED`` are calibrated from their priors on 2001-``calibrate_split`` only (without
    calibration, the model is scored with the shipped defaults); the rows report that period (in sample) and the
    years after it (out of sample) for the model, the model at the priors, the persistence baseline and the
    base-rate baseline.
    """
    from .ensemble import prepare
    from .initial import observed_levels

    sc, comp = prepare("historical-2000", db=db)
    years = comp.years
    obs_levels = observed_levels(int(years[0]), int(years[-1]), comp.partners, patron=sc.data["patron"], db=db)
    split = int(np.searchsorted(years, calibrate_split))  # index of the last in-sample year
    priors = prior_params()
    cal = {k: float(comp.params[k]) for k in CALIBRATED}
    if calibrate_params:
        cal, _ = calibrate(comp.with_params(**priors), obs_levels, last=split, replicas=calibrate_replicas,
                           seed=seed)
    obs = transitions(obs_levels)                              # (T-1, n)
    prior = obs_levels[:-1]
    rates = _base_rates(obs[:split], prior[:split])
    base_prob = rates[(prior > 0).astype(int)]                 # (T-1, n, 5)
    persist = np.zeros(obs.shape + (len(OUTCOMES),))
    persist[..., 0] = 1.0
    runs = {}
    for label, values in (("model", cal), ("model_uncalibrated", priors)):
        levels, _ = simulate(comp.with_params(**values), replicas, np.random.default_rng(seed + 1))
        runs[label] = transitions(levels)
    rows, by_type = [], []
    periods = (("in_sample", 0, split, f"{years[1]}-{years[split]}"),
               ("out_of_sample", split, len(years) - 1, f"{years[split + 1]}-{years[-1]}"))
    for period, lo, hi, span in periods:
        sl = slice(lo, hi)
        row = {"period": period, "years": span, "partner_years": int(obs[sl].size),
               "transitions": int((obs[sl] > 0).sum())}
        cells = {label: _brier_cells(_probabilities(codes[sl]), obs[sl]) for label, codes in runs.items()}
        cells["persistence"] = _brier_cells(persist[sl], obs[sl])
        cells["base_rate"] = _brier_cells(base_prob[sl], obs[sl])
        for label, c in cells.items():
            row[f"brier_{label}"] = float(c.mean())
        for base in ("persistence", "base_rate"):
            row[f"skill_vs_{base}"] = 1.0 - row["brier_model"] / row[f"brier_{base}"]
            row[f"model_minus_{base}_95"] = list(_difference_interval(cells["model"], cells[base], seed))
        masked = np.where(np.arange(len(obs))[:, None] >= lo, obs, 0)
        masked[hi:] = 0
        row["share_reproduced"], _ = share_reproduced(runs["model"], masked)
        row["share_reproduced_uncalibrated"], _ = share_reproduced(runs["model_uncalibrated"], masked)
        rows.append(row)
        for k in range(1, len(OUTCOMES)):
            only = np.where(masked == k, masked, 0)
            share, count = share_reproduced(runs["model"], only)
            by_type.append({"period": period, "type": OUTCOMES[k], "observed": count,
                            "share_reproduced": share,
                            "expected_model": float((runs["model"][sl] == k).sum(axis=(0, 2)).mean()),
                            })
    portfolio = []
    final_levels, _ = simulate(comp.with_params(**cal), replicas, np.random.default_rng(seed + 1))
    for y in (int(years[split]), int(years[-1])):
        t = int(np.searchsorted(years, y))
        for k in range(1, len(LEVELS)):
            counts = (final_levels[t] == k).sum(axis=1)
            portfolio.append({"year": y, "level": LEVELS[k], "observed": int((obs_levels[t] == k).sum()),
                              "model_mean": float(counts.mean()), "model_q05": float(np.quantile(counts, 0.05)),
                              "model_q95": float(np.quantile(counts, 0.95))})
    per = []
    for y, i in zip(*np.nonzero(obs), strict=True):
        one = np.zeros_like(obs)
        one[y, i] = obs[y, i]
        per.append({"year": int(years[y + 1]), "partner": comp.partners[i], "type": OUTCOMES[obs[y, i]],
                    "from": LEVELS[obs_levels[y, i]], "to": LEVELS[obs_levels[y + 1, i]],
                    "share_reproduced": share_reproduced(runs["model"], one)[0]})
    return HindcastResult(rows, cal, priors, replicas, seed, by_type, per, portfolio)
