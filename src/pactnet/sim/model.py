"""The partnership dynamics model: parameters, the compiled inputs of a run and the vectorised yearly step.

Everything here is NumPy over arrays shaped ``(replicas, partners)``; docs/model.md is the specification
(state, hazards, one named term per mechanism of the briefing, defaults and ranges).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError

__all__ = [
    "LEVELS",
    "CAMPAIGNS",
    "TRANSIENT",
    "EXPOSURE",
    "Param",
    "PARAMETERS",
    "default_params",
    "Compiled",
    "simulate",
    "step",
]

LEVELS = ("none", "transactional", "ad_hoc", "structured", "assurance", "guarantee")
CAMPAIGNS = ("gwot", "war_on_drugs", "counter_piracy", "stabilisation", "great_power_competition", "other")
TRANSIENT = frozenset({"gwot", "war_on_drugs", "counter_piracy", "stabilisation"})
GPC = CAMPAIGNS.index("great_power_competition")
OTHER = CAMPAIGNS.index("other")

#: Exposure of a region to each transient campaign, e(region, c); regions not listed have none.
EXPOSURE: dict[str, dict[str, float]] = {
    "middle_east": {"gwot": 1.0, "counter_piracy": 0.5, "stabilisation": 1.0},
    "central_asia": {"gwot": 1.0, "stabilisation": 0.5},
    "south_asia": {"gwot": 1.0, "stabilisation": 1.0},
    "africa": {"gwot": 0.5, "counter_piracy": 1.0},
    "southeast_asia": {"gwot": 0.5, "counter_piracy": 0.3},
    "latin_america": {"war_on_drugs": 1.0},
}


@dataclass(frozen=True)
class Param:
    """One named parameter: its default, admissible range, the briefing mechanism and the passages."""

    name: str
    default: float | tuple[float, ...]
    low: float
    high: float
    mechanism: str
    passages: str
    prior: float | None = None     # the value before calibration, for the calibrated intercepts


def _p(name: str, default: Any, low: float, high: float, mechanism: str, passages: str,
       prior: float | None = None) -> Param:
    return Param(name, default, low, high, mechanism, passages, prior)


PARAMETERS: dict[str, Param] = {p.name: p for p in (
    _p("form_base", -4.5, -9, -1, "base rate of formation", "L1", prior=-5.0),
    _p("form_salience", 3.0, 0, 6, "(a) ad hoc partnerships form around urgent transnational threats", "L3, L21, L23"),
    _p("form_threat", 2.5, 0, 6, "balance of threat: a threatened state partners with the patron (Walt)", "L55, L49"),
    _p("transactional_share", 0.1, 0, 1, "(a) some new ties are à la carte transactions", "L23"),
    _p("structured_share", 0.4, 0, 1, "(a, d) some partnerships start institutionalised (a defence cooperation "
       "agreement, a designation)", "L27, L49"),
    _p("up_base", -8.5, -9, 0, "base rate of institutionalisation", "L27", prior=-3.5),
    _p("up_salience", 1.5, 0, 4, "(a) a salient campaign upgrades its partnerships", "L27"),
    _p("halfway_base", -7.0, -9, -2, "(d) a halfway house seeks an upgrade", "L43"),
    _p("halfway", 6.0, 0, 9, "(d) a neighbour attacked drives partners without a guarantee to seek one",
       "L43, L49, L71"),
    _p("accede_base", -2.5, -6, 1, "(b) accession to a guarantee offered (open door)", "L11, L35", prior=-1.5),
    _p("accede_threat", 1.5, 0, 4, "(d) threat raises the value of collective guarantees", "L49"),
    _p("bridge", 2.0, 0, 4, "(d) an interim assurance leads to membership", "L43"),
    _p("down_base", -9.0, -9, -2, "base rate of downgrade", "L57", prior=-5.0),
    _p("entrap", 0.03, 0, 0.3, "(c) a dependent (entrapped) patron is exploited: the tie breaks down (yearly "
       "hazard at full dependence)",
       "L37, L39"),
    _p("hedge", 2.0, 0, 5, "(e) a hedger weighing rival offers upgrades less and downgrades more", "L55, L63, L65"),
    _p("exit_base", -8.5, -9, -1, "base rate of exit", "L21", prior=-4.0),
    _p("fade_base", -5.0, -9, -1, "(a) exit from a tie of a transient campaign at full salience", "L3, L21"),
    _p("fade", 3.0, 0, 6, "(a) exit options are used when the campaign's salience fades", "L3, L33"),
    _p("lockin", 1.5, 0, 4, "(c) an entrapped patron cannot exit while it needs cooperation", "L39"),
    _p("obstruct", 1.5, 0, 4, "(f) rivals reduce opportunities to form and renew partnerships", "L5, L39, L71"),
    _p("abrogate_base", -6.0, -9, -3, "(b) guarantees are durable (Leeds & Savun 2007 abrogation hazard)", "L35"),
    _p("abrogate_rival", 2.5, 0, 5, "(b, f) abrogation after a new outside alignment (Leeds & Savun 2007)",
       "L35, L57"),
    _p("budget_restraint", 2.0, 0, 5, "(g) a contracting patron forms and upgrades less", "L53, L69"),
    _p("prune_base", 0.0, -3, 2, "(g) scale of pruning", "L69"),
    _p("prune", 1.0, 0, 4, "(g) budget pressure ends ties, cheapest commitments first", "L5, L53, L69"),
    _p("prune_weight", (1.0, 1.0, 0.5, 0.2, 0.02), 0, 1, "(b, g) weight of pruning by level 1..5: guarantees last",
       "L35, L69"),
    _p("cost", (0.25, 0.5, 1.0, 1.5, 2.0), 0, 10, "(g) commitment cost of a tie by level 1..5", "L53"),
    _p("threat_half_life", 5.0, 0.5, 20, "(d) years for an invasion's added aggression to halve", "L47, L61"),
    _p("attack_half_life", 1.0, 0.5, 10, "(a) years for an attack's added salience to halve", "L17, L27"),
)}

#: The intercepts the hindcast calibrates (on 2001-2014 only). Their defaults are the calibrated values
#: (``pactnet sim hindcast --replicas 4000 --seed 1 --calibrate-replicas 500``); ``prior`` keeps the value the
#: calibration starts from.
CALIBRATED = ("form_base", "up_base", "accede_base", "down_base", "exit_base")


def default_params() -> dict[str, Any]:
    """A fresh dict of every parameter at its default."""
    return {name: p.default for name, p in PARAMETERS.items()}


def prior_params() -> dict[str, float]:
    """The calibrated intercepts at their priors (the values before calibration)."""
    return {name: float(PARAMETERS[name].prior) for name in CALIBRATED}


def check_params(values: dict[str, Any], *, where: str = "params") -> dict[str, Any]:
    """Defaults overridden by ``values``; unknown names and values outside a parameter's range are errors."""
    out = default_params()
    for name, value in values.items():
        if name not in PARAMETERS:
            raise InputError(f"{where}: unknown parameter {name!r}; expected one of {', '.join(PARAMETERS)}")
        p = PARAMETERS[name]
        vals = value if isinstance(value, list | tuple) else (value,)
        want = len(p.default) if isinstance(p.default, tuple) else 1
        if len(vals) != want or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in vals):
            raise InputError(f"{where}.{name}: expected {want} number(s), got {value!r}")
        if any(not (p.low <= float(v) <= p.high) for v in vals):
            raise InputError(f"{where}.{name}: expected a value in [{p.low}, {p.high}], got {value!r}")
        out[name] = tuple(float(v) for v in vals) if isinstance(p.default, tuple) else float(vals[0])
    if out["transactional_share"] + out["structured_share"] > 1:
        raise InputError(f"{where}.structured_share: expected transactional_share + structured_share <= 1, got "
                         f"{out['transactional_share']} + {out['structured_share']}")
    return out


@dataclass(frozen=True)
class Compiled:
    """The inputs of one run as arrays: the initial state and the scenario's exogenous paths by year.

    ``years[0]`` is the start year (the initial state); the step runs for ``years[1:]``. Arrays indexed by year
    have that first axis. It is small and picklable: it is what a worker receives with a batch.
    """

    partners: tuple[str, ...]
    regions: tuple[str, ...]
    years: np.ndarray            # (T,)
    level0: np.ndarray           # (n,) int8
    driver0: np.ndarray          # (n,) int8, index into CAMPAIGNS
    exposure: np.ndarray         # (n, C)
    salience: np.ndarray         # (T, C)
    threat: np.ndarray           # (T, n)
    neighbour_attacked: np.ndarray  # (T, n)
    rival_pull: np.ndarray       # (T, n)
    offer: np.ndarray            # (T, n)
    budget: np.ndarray           # (T,)
    withdraw_partner: np.ndarray   # (T, n) probability of a forced exit
    withdraw_campaign: np.ndarray  # (T, C)
    params: dict[str, Any] = field(default_factory=default_params)

    @property
    def n(self) -> int:
        return len(self.partners)

    def with_params(self, **overrides: Any) -> Compiled:
        """A copy with some parameters changed (validated)."""
        merged = {**self.params, **overrides}
        from dataclasses import replace

        return replace(self, params=check_params(merged))


_TRANSIENT_MASK = np.array([c in TRANSIENT for c in CAMPAIGNS])
_KINDS = ("formation", "accession", "upgrade", "halfway", "downgrade", "exit")
_NL, _NC = len(LEVELS), len(CAMPAIGNS)


def hazard_tables(comp: Compiled, t: int) -> dict[str, np.ndarray]:
    """The hazards of year index ``t`` as tables over (kind, level, campaign, partner), before the budget terms.

    Every hazard of docs/model.md depends on the tie only through its level L, its campaign D and its partner i,
    except the budget terms, which depend on the replica's pressure P: formation and upgrade are multiplied by
    ``restraint = exp(-budget_restraint * P)`` and exit gains ``prune_scale * P * prune_weight(L)``. Keys:
    ``hz`` (6, levels, campaigns, n), ``restrained`` (6,) bool, ``prune`` (levels,), ``pull`` (n, campaigns).
    """
    p = comp.params
    n = comp.n
    x = comp.exposure @ comp.salience[t]
    th, na, rp, off = comp.threat[t], comp.neighbour_attacked[t], comp.rival_pull[t], comp.offer[t]
    dep = np.where(_TRANSIENT_MASK, comp.salience[t], 0.0)[:, None]                 # (C, 1)
    transient = _TRANSIENT_MASK[:, None]
    lv = np.arange(_NL)[:, None, None]                                               # (L, 1, 1)
    hz = np.zeros((len(_KINDS), _NL, _NC, n))
    form = np.exp(p["form_base"] + p["form_salience"] * x + p["form_threat"] * th - p["obstruct"] * rp)
    hz[0, 0] = form
    acc = off * np.exp(p["accede_base"] + p["accede_threat"] * th + p["halfway"] * na)
    hz[1, :5] = acc
    hz[1, 4] *= np.exp(p["bridge"])
    up = np.exp(p["up_base"] - p["hedge"] * rp) * np.exp(p["up_salience"] * dep)  # (C, n)
    hz[2, 1] = hz[2, 2] = up
    hz[2, 3] = up * (off > 0)
    hz[3, 1:4] = (off > 0) * np.exp(p["halfway_base"] + p["halfway"] * na + p["accede_threat"] * th)
    down = np.exp(p["down_base"] + p["hedge"] * rp) + p["entrap"] * dep * (1.0 + rp)
    hz[4, 2:5] = down
    obstruct = p["obstruct"] * rp * (lv <= 2)                                        # (L, 1, n)
    exit_ = (np.exp(p["exit_base"] + obstruct)
             + transient * np.exp(p["fade_base"] + p["fade"] * (1.0 - dep) - p["lockin"] * dep + obstruct))
    hz[5, 1:5] = exit_[1:5]
    hz[5, 5] = np.exp(p["abrogate_base"] + p["abrogate_rival"] * rp)
    prune = np.exp(p["prune_base"]) * p["prune"] * np.concatenate([[0.0], np.asarray(p["prune_weight"])])
    pull = np.concatenate([comp.exposure[:, :GPC] * comp.salience[t, :GPC],
                           p["form_threat"] / max(p["form_salience"], 1e-9) * th[:, None],
                           np.full((n, 1), 1e-6)], axis=1)
    return {"hz": hz, "restrained": np.array([True, False, True, False, False, False]), "prune": prune,
            "pull": pull}


def step(levels: np.ndarray, drivers: np.ndarray, t: int, comp: Compiled, rng: np.random.Generator,
         load0: float) -> tuple[np.ndarray, np.ndarray]:
    """One year (index ``t`` into ``comp.years``, t >= 1) for every replica: new ``(levels, drivers)``.

    ``levels`` and ``drivers`` are int8 arrays shaped (replicas, partners); they are not modified. Competing
    risks: the tie changes with probability 1 - exp(-sum of hazards), the change drawn in proportion to them.
    """
    p = comp.params
    R, n = levels.shape
    tab = hazard_tables(comp, t)
    hz = tab["hz"]
    cost = np.concatenate([[0.0], np.asarray(p["cost"])])
    load = cost[levels].sum(axis=1) / load0
    pressure = np.maximum(0.0, load / comp.budget[t] - 1.0)                         # (R,)
    restraint = np.exp(-p["budget_restraint"] * pressure)

    budgeted = hz[tab["restrained"]].sum(axis=0).reshape(-1)                         # (L*C*n,)
    other = hz[~tab["restrained"]].sum(axis=0).reshape(-1)
    key = (levels.astype(np.int32) * _NC + drivers) * n + np.arange(n, dtype=np.int32)
    total = other[key] + restraint[:, None] * budgeted[key] + pressure[:, None] * tab["prune"][levels]

    u = rng.random((4, R, n))
    event = u[0] < -np.expm1(-total)
    r, i = np.nonzero(event)
    k = key[r, i]
    L = levels[r, i].astype(np.int64)
    h = hz.reshape(len(_KINDS), -1)[:, k]                                            # (6, m)
    h[tab["restrained"]] *= restraint[r]
    h[5] += pressure[r] * tab["prune"][L]
    kind = np.minimum((np.cumsum(h, axis=0) <= u[1, r, i] * h.sum(axis=0)).sum(axis=0), 5)
    aux = u[2, r, i]
    ts, ss = p["transactional_share"], p["structured_share"]
    formed_level = np.where(aux < ts, 1, np.where(aux < ts + ss, 3, 2))
    target = np.choose(kind, [formed_level, np.full_like(L, 5), L + 1, np.full_like(L, 4), L - 1, np.zeros_like(L)])
    new = levels.copy()
    new[r, i] = target
    new_drivers = drivers.copy()
    formed = kind == 0
    if formed.any():
        # a new tie takes the campaign that pulled it in
        fr, fi = r[formed], i[formed]
        v = u[3, fr, fi]
        cum = np.cumsum(tab["pull"][fi], axis=1)
        camp = np.minimum((cum <= (v * cum[:, -1])[:, None]).sum(axis=1), _NC - 1)
        new_drivers[fr, fi] = camp

    # withdrawals: a forced exit of a partner's tie, or of every tie of a campaign (guarantees excepted)
    if comp.withdraw_partner[t].any() or comp.withdraw_campaign[t].any():
        wd = np.maximum(comp.withdraw_partner[t][None, :], comp.withdraw_campaign[t][new_drivers])
        forced = (new >= 1) & (new <= 4) & (rng.random((R, n)) < wd)
        new[forced] = 0
    return new, new_drivers


def simulate(comp: Compiled, replicas: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Run ``replicas`` replicas from the initial state: levels and drivers shaped (T, replicas, partners)."""
    if replicas < 1:
        raise InputError(f"replicas must be at least 1, got {replicas}")
    T = len(comp.years)
    levels = np.empty((T, replicas, comp.n), dtype=np.int8)
    drivers = np.empty((T, replicas, comp.n), dtype=np.int8)
    levels[0] = comp.level0[None, :]
    drivers[0] = comp.driver0[None, :]
    cost = np.concatenate([[0.0], np.asarray(comp.params["cost"])])
    load0 = max(float(cost[comp.level0.astype(np.int64)].sum()), 1e-9)
    for t in range(1, T):
        levels[t], drivers[t] = step(levels[t - 1], drivers[t - 1], t, comp, rng, load0)
    return levels, drivers
