"""Scenarios: YAML files validated with located errors, hashed, and compiled with the initial state into the
arrays one run needs (:class:`~pactnet.sim.model.Compiled`). The keys are documented in docs/model.md."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, ValidationError
from .model import CAMPAIGNS, EXPOSURE, PARAMETERS, Compiled, check_params

__all__ = ["Scenario", "ScenarioError", "load_scenario", "shipped_scenarios", "compile_scenario"]

_SHOCK_KINDS = ("attack", "invasion", "withdrawal")
_TOP = {"name", "description", "start", "end", "patron", "salience", "budget", "rivals", "shocks", "guarantees",
        "params"}


class ScenarioError(ValidationError):
    """A scenario file breaks the scenario format; the message names the file, line, key and what was expected."""


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: the parsed mapping (defaults filled in), where it came from and its hash."""

    name: str
    data: dict[str, Any]
    origin: str

    @property
    def start(self) -> int:
        return self.data["start"]

    @property
    def end(self) -> int:
        return self.data["end"]

    @property
    def hash(self) -> str:
        """SHA-256 of the canonical JSON of the validated scenario."""
        text = json.dumps(self.data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def shipped_scenarios() -> list[str]:
    """Names of the scenarios shipped with pactnet."""
    folder = resources.files("pactnet.sim") / "scenarios"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_scenario(scenario: str | Path) -> Scenario:
    """A shipped scenario by name, or a YAML file by path, validated."""
    from ..kb.yamlio import load_yaml

    text = str(scenario)
    path = Path(text)
    if not path.suffix and not path.exists():
        if text not in shipped_scenarios():
            raise InputError(f"scenario: unknown scenario {text!r}; expected a YAML path or one of "
                             f"{', '.join(shipped_scenarios())}")
        path = Path(str(resources.files("pactnet.sim") / "scenarios" / f"{text}.yaml"))
    if not path.exists():
        raise InputError(f"scenario: no such file {text!r}")
    try:
        raw = load_yaml(path)
    except ScenarioError:
        raise
    except ValidationError as exc:
        raise ScenarioError(exc.detail, file=exc.file, line=exc.line, expected=exc.expected) from None
    data = _Validator(str(path), raw).run()
    return Scenario(data["name"], data, str(path))


class _Validator:
    def __init__(self, file: str, raw: Any) -> None:
        self.file, self.raw = file, raw

    def fail(self, key: str, expected: str, got: Any, node: Any = None, sub: str | None = None) -> ScenarioError:
        line = None
        if node is not None and sub is not None and getattr(node, "key_lines", None):
            line = node.key_lines.get(sub)
        if line is None:
            line = getattr(node, "line", None)
        return ScenarioError("invalid value", file=self.file, line=line, field=key, expected=expected, got=got)

    def year(self, value: Any, key: str, node: Any, sub: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2200:
            raise self.fail(key, "a year (an integer 1900-2200)", value, node, sub)
        return value

    def number(self, value: Any, key: str, node: Any, sub: str, lo: float = 0.0, hi: float = 1.0) -> float:
        if not isinstance(value, int | float) or isinstance(value, bool) or not lo <= value <= hi:
            raise self.fail(key, f"a number in [{lo}, {hi}]", value, node, sub)
        return float(value)

    def path(self, value: Any, key: str, node: Any, sub: str, hi: float = 1.0) -> list[list[float]]:
        if not isinstance(value, list) or not value:
            raise self.fail(key, "a list of [year, value] pairs", value, node, sub)
        out = []
        for k, pair in enumerate(value):
            if not (isinstance(pair, list) and len(pair) == 2):
                raise self.fail(f"{key}[{k}]", "a [year, value] pair", pair, node, sub)
            y = self.year(pair[0], f"{key}[{k}][0]", node, sub)
            v = self.number(pair[1], f"{key}[{k}][1]", node, sub, 0.0, hi)
            if out and y <= out[-1][0]:
                raise self.fail(f"{key}[{k}][0]", f"a year after {out[-1][0]} (years increase)", y, node, sub)
            out.append([y, v])
        return out

    def ids(self, value: Any, key: str, node: Any, sub: str) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, "a list of actor ids or regions", value, node, sub)
        return list(value)

    def mapping(self, value: Any, key: str, node: Any, sub: str | None) -> dict:
        if not isinstance(value, dict):
            raise self.fail(key, "a mapping", value, node, sub)
        return value

    def run(self) -> dict[str, Any]:
        raw = self.mapping(self.raw, "(top level)", None, None)
        for k in raw:
            if k not in _TOP:
                raise self.fail(str(k), f"one of the keys {', '.join(sorted(_TOP))}", k, raw, str(k))
        for k in ("name", "start", "end"):
            if k not in raw:
                raise ScenarioError(f"missing key {k!r}", file=self.file, line=getattr(raw, "line", None),
                                    field=k, expected="name, start and end")
        if not isinstance(raw["name"], str) or not raw["name"]:
            raise self.fail("name", "a non-empty text", raw["name"], raw, "name")
        out: dict[str, Any] = {"name": raw["name"], "description": str(raw.get("description", ""))}
        out["start"] = self.year(raw["start"], "start", raw, "start")
        out["end"] = self.year(raw["end"], "end", raw, "end")
        if out["end"] <= out["start"]:
            raise self.fail("end", f"a year after start ({out['start']})", out["end"], raw, "end")
        out["patron"] = raw.get("patron", "USA")
        if not isinstance(out["patron"], str):
            raise self.fail("patron", "an actor id", out["patron"], raw, "patron")
        sal = self.mapping(raw.get("salience", {}), "salience", raw, "salience")
        out["salience"] = {}
        for c, v in sal.items():
            if c not in CAMPAIGNS[:-1]:
                raise self.fail(f"salience.{c}", f"a campaign ({', '.join(CAMPAIGNS[:-1])})", c, sal, str(c))
            out["salience"][c] = self.path(v, f"salience.{c}", sal, str(c))
        out["budget"] = self.path(raw.get("budget", [[out["start"], 1.0]]), "budget", raw, "budget", hi=10.0)
        if any(v <= 0 for _, v in out["budget"]):
            raise self.fail("budget", "positive budget values", raw.get("budget"), raw, "budget")
        out["rivals"] = self.rivals(raw)
        out["shocks"] = self.shocks(raw, set(out["rivals"]))
        out["guarantees"] = self.guarantees(raw)
        params = self.mapping(raw.get("params", {}), "params", raw, "params")
        for name, value in params.items():
            try:
                check_params({name: value})
            except InputError as exc:
                line = getattr(params, "key_lines", {}).get(str(name)) or raw.key_lines.get("params")
                field = f"params.{name}" if name in PARAMETERS else "params"
                raise ScenarioError(str(exc).split(": ", 1)[-1], file=self.file, line=line, field=field) from None
        full = check_params(params)
        out["params"] = {k: list(v) if isinstance(v, tuple) else v for k, v in full.items()}
        return out

    def rivals(self, raw: dict) -> dict:
        rivals = self.mapping(raw.get("rivals", {}), "rivals", raw, "rivals")
        out = {}
        for name, spec in rivals.items():
            key = f"rivals.{name}"
            spec = self.mapping(spec, key, rivals, str(name))
            allowed = {"neighbours", "aggression", "pressure", "targets"}
            for k in spec:
                if k not in allowed:
                    raise self.fail(f"{key}.{k}", f"one of {', '.join(sorted(allowed))}", k, spec, str(k))
            out[str(name)] = {
                "neighbours": self.ids(spec.get("neighbours", []), f"{key}.neighbours", spec, "neighbours"),
                "aggression": self.path(spec.get("aggression", [[raw["start"], 0.0]]), f"{key}.aggression", spec,
                                        "aggression"),
                "pressure": self.path(spec.get("pressure", [[raw["start"], 0.0]]), f"{key}.pressure", spec,
                                      "pressure"),
                "targets": self.ids(spec.get("targets", []), f"{key}.targets", spec, "targets"),
            }
        return out

    def shocks(self, raw: dict, rivals: set[str]) -> list[dict]:
        shocks = raw.get("shocks", [])
        if not isinstance(shocks, list):
            raise self.fail("shocks", "a list of shocks", shocks, raw, "shocks")
        out = []
        for k, s in enumerate(shocks):
            key = f"shocks[{k}]"
            s = self.mapping(s, key, raw, "shocks")
            kind = s.get("kind")
            if kind not in _SHOCK_KINDS:
                raise self.fail(f"{key}.kind", f"one of {', '.join(_SHOCK_KINDS)}", kind, s, "kind")
            need = {"attack": ("year", "campaign"), "invasion": ("year", "aggressor", "target"),
                    "withdrawal": ("year",)}[kind]
            for n in need:
                if n not in s:
                    raise ScenarioError(f"missing key {n!r} of a {kind} shock", file=self.file,
                                        line=getattr(s, "line", None), field=f"{key}.{n}",
                                        expected=", ".join(need))
            allowed = {"kind", "magnitude", "note", *need, *(("campaign", "partner") if kind == "withdrawal" else ())}
            for n in s:
                if n not in allowed:
                    raise self.fail(f"{key}.{n}", f"one of {', '.join(sorted(allowed))} for a {kind} shock", n, s,
                                    str(n))
            shock = {"kind": kind, "year": self.year(s["year"], f"{key}.year", s, "year"),
                     "magnitude": self.number(s.get("magnitude", 1.0), f"{key}.magnitude", s, "magnitude")}
            if kind == "attack" or (kind == "withdrawal" and "campaign" in s):
                if s["campaign"] not in CAMPAIGNS[:-1]:
                    raise self.fail(f"{key}.campaign", f"a campaign ({', '.join(CAMPAIGNS[:-1])})", s["campaign"],
                                    s, "campaign")
                shock["campaign"] = s["campaign"]
            if kind == "invasion":
                if s["aggressor"] not in rivals:
                    raise self.fail(f"{key}.aggressor", f"a rival named under rivals ({', '.join(sorted(rivals))})",
                                    s["aggressor"], s, "aggressor")
                shock["aggressor"], shock["target"] = s["aggressor"], str(s["target"])
            if kind == "withdrawal":
                if ("campaign" in s) == ("partner" in s):
                    raise self.fail(key, "exactly one of campaign or partner for a withdrawal", dict(s), s, "kind")
                if "partner" in s:
                    shock["partner"] = str(s["partner"])
            out.append(shock)
        return out

    def guarantees(self, raw: dict) -> list[dict]:
        gs = raw.get("guarantees", [])
        if not isinstance(gs, list):
            raise self.fail("guarantees", "a list of offers", gs, raw, "guarantees")
        out = []
        for k, g in enumerate(gs):
            key = f"guarantees[{k}]"
            g = self.mapping(g, key, raw, "guarantees")
            for n in g:
                if n not in {"by", "to", "from", "until", "strength"}:
                    raise self.fail(f"{key}.{n}", "one of by, to, from, until, strength", n, g, str(n))
            if "to" not in g:
                raise ScenarioError("missing key 'to'", file=self.file, line=getattr(g, "line", None),
                                    field=f"{key}.to", expected="a list of actor ids or regions")
            out.append({"by": str(g.get("by", "")), "to": self.ids(g["to"], f"{key}.to", g, "to"),
                        "from": self.year(g.get("from", raw["start"]), f"{key}.from", g, "from"),
                        "until": self.year(g.get("until", 2200), f"{key}.until", g, "until"),
                        "strength": self.number(g.get("strength", 1.0), f"{key}.strength", g, "strength")})
        return out


def _interp(path: list[list[float]], years: np.ndarray) -> np.ndarray:
    xs = np.array([p[0] for p in path], dtype=float)
    ys = np.array([p[1] for p in path], dtype=float)
    return np.interp(years.astype(float), xs, ys)


def compile_scenario(scenario: Scenario, state: Any, **overrides: Any) -> Compiled:
    """The arrays of a run: ``state`` is a :class:`~pactnet.sim.initial.KBState` at the scenario's start."""
    d = scenario.data
    if state.year != d["start"]:
        raise InputError(f"state: the initial state is of {state.year}, the scenario starts in {d['start']}")
    years = np.arange(d["start"], d["end"] + 1)
    T, n, C = len(years), len(state.partners), len(CAMPAIGNS)
    index = {p: k for k, p in enumerate(state.partners)}

    regions = set(state.regions)

    def members(names: list[str], key: str) -> np.ndarray:
        mask = np.zeros(n, dtype=bool)
        for name in names:
            if name not in index and name not in regions:
                raise ScenarioError("unknown actor or region", file=scenario.origin, field=key,
                                    expected=f"a state of the knowledge base other than {state.patron}, or a region",
                                    got=name)
            hit = [k for k, r in enumerate(state.regions) if r == name] if name not in index else [index[name]]
            mask[hit] = True
        return mask

    params = check_params({**d["params"], **overrides})
    exposure = np.zeros((n, C))
    for k, region in enumerate(state.regions):
        for c, v in EXPOSURE.get(region, {}).items():
            exposure[k, CAMPAIGNS.index(c)] = v
    salience = np.zeros((T, C))
    for c, path in d["salience"].items():
        salience[:, CAMPAIGNS.index(c)] = _interp(path, years)
    threat = np.zeros((T, n))
    attacked = np.zeros((T, n))
    rival_pull = np.tile(state.rival_pull, (T, 1)).astype(float)
    withdraw_p = np.zeros((T, n))
    withdraw_c = np.zeros((T, C))
    aggression = {name: _interp(spec["aggression"], years) for name, spec in d["rivals"].items()}
    for k, s in enumerate(d["shocks"]):
        after = years >= s["year"]
        age = np.where(after, years - s["year"], 0)
        if s["kind"] == "attack":
            c = CAMPAIGNS.index(s["campaign"])
            salience[:, c] += after * s["magnitude"] * 0.5 ** (age / params["attack_half_life"])
        elif s["kind"] == "invasion":
            aggression[s["aggressor"]] = aggression[s["aggressor"]] + after * s["magnitude"] * 0.5 ** (
                age / params["threat_half_life"])
            near = members(d["rivals"][s["aggressor"]]["neighbours"], f"rivals.{s['aggressor']}.neighbours") & ~members(
                [s["target"]], f"shocks[{k}].target")
            attacked += np.outer(after * s["magnitude"] * 0.5 ** age, near)
        else:
            at = years == s["year"]
            if "partner" in s:
                who = members([s["partner"]], f"shocks[{k}].partner")
                withdraw_p[:, who] = np.maximum(withdraw_p[:, who], (at * s["magnitude"])[:, None])
            else:
                c = CAMPAIGNS.index(s["campaign"])
                withdraw_c[:, c] = np.maximum(withdraw_c[:, c], at * s["magnitude"])
                salience[after, c] = 0.0
    for name, spec in d["rivals"].items():
        threat += np.outer(aggression[name], members(spec["neighbours"], f"rivals.{name}.neighbours"))
        rival_pull += np.outer(_interp(spec["pressure"], years), members(spec["targets"], f"rivals.{name}.targets"))
    offer = np.zeros((T, n))
    for k, g in enumerate(d["guarantees"]):
        live = (years >= g["from"]) & (years <= g["until"])
        offer = np.maximum(offer, np.outer(live * g["strength"], members(g["to"], f"guarantees[{k}].to")))
    return Compiled(
        partners=state.partners, regions=state.regions, years=years, level0=state.level.copy(),
        driver0=state.driver.copy(), exposure=exposure, salience=np.clip(salience, 0, 1),
        threat=np.clip(threat, 0, 1), neighbour_attacked=np.clip(attacked, 0, 1),
        rival_pull=np.clip(rival_pull, 0, 1), offer=offer, budget=_interp(d["budget"], years),
        withdraw_partner=withdraw_p, withdraw_campaign=withdraw_c, params=params,
    )
