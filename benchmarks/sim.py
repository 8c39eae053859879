"""Benchmark: the vectorised partnership model against the same rules written as a Mesa model.

Run:  .venv/bin/python benchmarks/sim.py [--replicas 10000] [--mesa-replicas 100] [--big-replicas 100000]

1. Vectorised: ``pactnet.sim.model.simulate`` on ``--replicas`` replicas of ``historical-2000`` in one process
   (replica-years per second; best of 3).
2. Mesa (benchmark-only dependency, in the ``dev`` extra): one ``mesa.Model`` per replica with one agent per
   partner; each agent computes its own hazards with the formulas of docs/model.md from the same compiled
   scenario and draws its change with the model's generator. Timed on ``--mesa-replicas`` replicas (it is the
   slow side), in the same run. The ratio of the two rates is printed, with the mean portfolio by level in 2024
   of both, which must agree within sampling error (the two are the same rules).
3. The whole pipeline: ``run_ensemble`` for ``--big-replicas`` replicas (25 years) on the local back end with
   all cores, streamed to Parquet in a temporary folder.

Prints figures only; asserts nothing about timings.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np


def _transient_dep(comp, t: int, d: int) -> float:
    from pactnet.sim.model import CAMPAIGNS, TRANSIENT

    return float(comp.salience[t, d]) if CAMPAIGNS[d] in TRANSIENT else 0.0


def mesa_model_class():
    import mesa

    from pactnet.sim.model import CAMPAIGNS, TRANSIENT

    class Tie(mesa.Agent):
        """The patron's tie with one partner: a level on the ladder and the campaign that drives it."""

        def __init__(self, model, i: int, level: int, driver: int) -> None:
            super().__init__(model)
            self.i, self.level, self.driver = i, level, driver
            self.next_level, self.next_driver = level, driver

        def step(self) -> None:
            m, comp, p, t, i = self.model, self.model.comp, self.model.comp.params, self.model.t, self.i
            L, D = self.level, self.driver
            x = float(comp.exposure[i] @ comp.salience[t])
            th, na = float(comp.threat[t, i]), float(comp.neighbour_attacked[t, i])
            rp, off = float(comp.rival_pull[t, i]), float(comp.offer[t, i])
            dep = _transient_dep(comp, t, D)
            restraint, pressure = m.restraint, m.pressure
            h = [0.0] * 6
            if L == 0:
                h[0] = math.exp(p["form_base"] + p["form_salience"] * x + p["form_threat"] * th
                                - p["obstruct"] * rp) * restraint
            if L < 5:
                h[1] = off * math.exp(p["accede_base"] + p["accede_threat"] * th + p["halfway"] * na)
                if L == 4:
                    h[1] *= math.exp(p["bridge"])
            if 1 <= L <= 3 and (L < 3 or off > 0):
                h[2] = math.exp(p["up_base"] - p["hedge"] * rp + p["up_salience"] * dep) * restraint
            if 1 <= L <= 3 and off > 0:
                h[3] = math.exp(p["halfway_base"] + p["halfway"] * na + p["accede_threat"] * th)
            if 2 <= L <= 4:
                h[4] = (math.exp(p["down_base"] + p["hedge"] * rp)
                        + p["entrap"] * dep * (1.0 + rp))
            prune = math.exp(p["prune_base"]) * p["prune"] * pressure * ([0.0, *p["prune_weight"]][L])
            if 1 <= L <= 4:
                transient = 1.0 if CAMPAIGNS[D] in TRANSIENT else 0.0
                obstruct = p["obstruct"] * rp * (L <= 2)
                h[5] = (math.exp(p["exit_base"] + obstruct)
                        + transient * math.exp(p["fade_base"] + p["fade"] * (1.0 - dep) - p["lockin"] * dep + obstruct)
                        + prune)
            elif L == 5:
                h[5] = math.exp(p["abrogate_base"] + p["abrogate_rival"] * rp) + prune
            total = sum(h)
            rng = m.rng
            self.next_level, self.next_driver = L, D
            if rng.random() < -math.expm1(-total):
                u = rng.random() * total
                kind, acc = 5, 0.0
                for k in range(6):
                    acc += h[k]
                    if u < acc:
                        kind = k
                        break
                aux = rng.random()
                ts, ss = p["transactional_share"], p["structured_share"]
                formed = 1 if aux < ts else 3 if aux < ts + ss else 2
                self.next_level = [formed, 5, L + 1, 4, L - 1, 0][kind]
                if kind == 0:
                    pull = np.concatenate([comp.exposure[i, :4] * comp.salience[t, :4],
                                           [p["form_threat"] / max(p["form_salience"], 1e-9) * th, 1e-6]])
                    v = rng.random() * pull.sum()
                    self.next_driver = int(min(np.searchsorted(np.cumsum(pull), v, side="right"), len(pull) - 1))
            w = max(float(comp.withdraw_partner[t, i]), float(comp.withdraw_campaign[t, self.next_driver]))
            if w > 0 and 1 <= self.next_level <= 4 and rng.random() < w:
                self.next_level = 0

        def advance(self) -> None:
            self.level, self.driver = self.next_level, self.next_driver

    class PartnershipModel(mesa.Model):
        """One replica: the patron's portfolio, stepped a year at a time (staged activation)."""

        def __init__(self, comp, seed: int) -> None:
            super().__init__(seed=seed)
            self.comp, self.t = comp, 0
            self.cost = [0.0, *comp.params["cost"]]
            self.load0 = sum(self.cost[int(v)] for v in comp.level0)
            for i in range(comp.n):
                Tie(self, i, int(comp.level0[i]), int(comp.driver0[i]))

        def step(self) -> None:
            self.t += 1
            load = sum(self.cost[a.level] for a in self.agents) / self.load0
            self.pressure = max(0.0, load / float(self.comp.budget[self.t]) - 1.0)
            self.restraint = math.exp(-self.comp.params["budget_restraint"] * self.pressure)
            self.agents.do("step")
            self.agents.do("advance")

        def levels(self) -> list[int]:
            return [a.level for a in sorted(self.agents, key=lambda a: a.i)]

    return PartnershipModel


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicas", type=int, default=10_000)
    ap.add_argument("--mesa-replicas", type=int, default=100)
    ap.add_argument("--big-replicas", type=int, default=100_000, help="0 skips the pipeline run")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    from pactnet.sim.ensemble import prepare, run_ensemble
    from pactnet.sim.model import LEVELS, simulate

    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores")
    sc, comp = prepare("historical-2000")
    years = len(comp.years) - 1
    print(f"scenario {sc.name} ({comp.years[0]}-{comp.years[-1]}), {comp.n} partners, {years} steps")

    simulate(comp, 10, np.random.default_rng(0))           # warm-up
    best = math.inf
    for rep in range(3):
        t0 = time.perf_counter()
        levels, _ = simulate(comp, args.replicas, np.random.default_rng(args.seed + rep))
        best = min(best, time.perf_counter() - t0)
    vec_rate = args.replicas * years / best
    vec_mean = [(levels[-1] == k).sum(axis=1).mean() for k in range(1, 6)]
    print(f"vectorised: {args.replicas:,} replicas in {best:.2f} s = {vec_rate:,.0f} replica-years/s")

    try:
        Model = mesa_model_class()
    except ImportError:
        print("mesa is not installed (pip install 'pactnet[dev]'): no comparison")
        Model = None
    if Model is not None:
        import mesa

        t0 = time.perf_counter()
        finals = []
        for r in range(args.mesa_replicas):
            m = Model(comp, seed=args.seed * 1_000_003 + r)
            for _ in range(years):
                m.step()
            finals.append(m.levels())
        mesa_time = time.perf_counter() - t0
        mesa_rate = args.mesa_replicas * years / mesa_time
        fin = np.array(finals)
        mesa_mean = [(fin == k).sum(axis=1).mean() for k in range(1, 6)]
        print(f"mesa {mesa.__version__}: {args.mesa_replicas:,} replicas in {mesa_time:.2f} s = "
              f"{mesa_rate:,.0f} replica-years/s")
        print(f"ratio vectorised / mesa: {vec_rate / mesa_rate:,.0f}x (goal >= 20x)")
        print("mean ties in", comp.years[-1], "by level (vectorised | mesa):")
        for k, name in enumerate(LEVELS[1:]):
            se = np.std((fin == k + 1).sum(axis=1)) / math.sqrt(len(fin))
            print(f"  {name:13s} {vec_mean[k]:7.2f} | {mesa_mean[k]:7.2f}  (mesa s.e. {se:.2f})")

    if args.big_replicas:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "big.parquet"
            t0 = time.perf_counter()
            run_ensemble(sc, args.big_replicas, seed=args.seed, out=out, compiled=comp, batch_size=5000)
            took = time.perf_counter() - t0
            print(f"pipeline: {args.big_replicas:,} replicas x {years + 1} years on {os.cpu_count()} cores to Parquet "
                  f"in {took:.1f} s ({out.stat().st_size / 1e6:.0f} MB), "
                  f"{args.big_replicas * years / took:,.0f} replica-years/s")


if __name__ == "__main__":
    main()
