"""Galam's bloc fields on the landscape: aligned, halfway-house, hedging and unaligned states, shocks.

Galam (2002; Vinogradova & Galam 2013) adds to the bilateral couplings a coupling induced by
membership of one of two global alliances, ``C_ij eps_i eps_j`` with ``eps_i`` = +1 (bloc on side
0), -1 (bloc on side 1) or 0 (no membership). For an actor, the members of a bloc act as a *field*

.. math:: \\phi_i^b = \\sum_{j \\in b,\\, j \\ne i} s_j \\, p_{ij}

that pulls it toward the bloc's side (or pushes it away when negative). This module classifies
actors by those fields and shows what a shock to one actor's propensities does to the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from pactnet.errors import InputError
from pactnet.landscape.model import Landscape, energy, frustration, local_fields

__all__ = [
    "Bloc",
    "ALIGNMENT_CLASSES",
    "bloc_fields",
    "with_bloc_coupling",
    "classify_alignment",
    "orient",
    "ShockResult",
    "shock",
]

ALIGNMENT_CLASSES = ("aligned", "halfway_house", "hedging", "unaligned")


@dataclass(frozen=True)
class Bloc:
    """A global alliance: its members (a guarantee binds them) and the side it pulls toward (0/1)."""

    name: str
    members: tuple[str, ...]
    side: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", tuple(self.members))
        if self.side not in (0, 1):
            raise InputError(f"bloc {self.name}: side must be 0 or 1, got {self.side!r}")


def _check_blocs(land: Landscape, blocs: Sequence[Bloc]) -> None:
    seen: dict[str, str] = {}
    for b in blocs:
        for m in b.members:
            land.index(m)
            if m in seen:
                raise InputError(f"{m} is a member of two blocs ({seen[m]} and {b.name})")
            seen[m] = b.name


def bloc_fields(land: Landscape, blocs: Sequence[Bloc]) -> np.ndarray:
    r"""The field of every bloc on every actor, shape (n, number of blocs).

    .. math:: \phi_i^b = \sum_{j \in b, j \ne i} s_j p_{ij}

    Positive: the bloc pulls actor i toward its side; negative: it pushes i away.
    """
    _check_blocs(land, blocs)
    W = land.weights  # W[j, i] = s_j p_ji
    out = np.zeros((land.n, len(blocs)))
    for q, b in enumerate(blocs):
        idx = [land.index(m) for m in b.members]
        out[:, q] = W[idx].sum(axis=0)
    return out


def with_bloc_coupling(land: Landscape, blocs: Sequence[Bloc], strength: float = 1.0) -> Landscape:
    r"""Add Galam's membership coupling :math:`C \epsilon_i \epsilon_j` to the propensities.

    Members of the same bloc get ``+strength`` more propensity, members of opposing blocs
    ``-strength``; non-members are untouched. A guarantee thus works as a field holding members
    together, on top of whatever bilateral ties they have.
    """
    _check_blocs(land, blocs)
    eps = np.zeros(land.n)
    for b in blocs:
        for m in b.members:
            eps[land.index(m)] = 1.0 if b.side == 0 else -1.0
    P = land.propensity + strength * np.outer(eps, eps)
    np.fill_diagonal(P, 0.0)
    prov = {**land.provenance, "bloc_coupling": {"strength": strength,
                                                  "blocs": {b.name: list(b.members) for b in blocs}}}
    return land.with_propensity(P, provenance=prov)


def classify_alignment(
    land: Landscape,
    blocs: Sequence[Bloc],
    *,
    hedge_ratio: float = 0.5,
    adverse_ratio: float = 0.25,
) -> dict[str, dict]:
    r"""Classify every actor as aligned, halfway_house, hedging or unaligned (Galam's reading).

    With :math:`\phi_i^b` the bloc fields (:func:`bloc_fields`), :math:`\phi_i^+ = \max_b \phi_i^b`
    the strongest pull, and :math:`a_i = \max_j (-s_j p_{ij})` the strongest adverse coupling
    (partner ``adverse_from``):

    1. ``aligned``: a member of a bloc (it holds the guarantee that makes the field).
    2. ``halfway_house``: no membership, pulled toward a bloc (:math:`\phi_i^+ > 0`), and next to a
       strong adverse coupling, :math:`a_i \ge` ``adverse_ratio`` :math:`\cdot \phi_i^+`
       (Ukraine before 2022; Finland and Sweden after the invasion).
    3. ``hedging``: no membership and positive fields from blocs on both sides of comparable
       strength: the weaker at least ``hedge_ratio`` times the stronger.
    4. ``unaligned``: anything else.

    Returns
    -------
    dict
        label -> ``{"class", "bloc", "fields": {bloc: phi}, "adverse", "adverse_from"}``.
    """
    phi = bloc_fields(land, blocs)
    member = {m: b.name for b in blocs for m in b.members}
    W = land.weights
    out = {}
    for i, lab in enumerate(land.labels):
        adv_col = -W[:, i]
        j = int(np.argmax(adv_col))
        adverse = float(max(adv_col[j], 0.0))
        fields = {b.name: float(phi[i, q]) for q, b in enumerate(blocs)}
        pull = max([v for v in fields.values()] + [0.0])
        side_pull = {0: 0.0, 1: 0.0}
        for q, b in enumerate(blocs):
            side_pull[b.side] = max(side_pull[b.side], float(phi[i, q]))
        if lab in member:
            cls = "aligned"
        elif pull > 0 and adverse > 0 and adverse >= adverse_ratio * pull:
            cls = "halfway_house"
        elif min(side_pull.values()) > 0 and min(side_pull.values()) >= hedge_ratio * max(side_pull.values()):
            cls = "hedging"
        else:
            cls = "unaligned"
        out[lab] = {
            "class": cls,
            "bloc": member.get(lab),
            "fields": fields,
            "adverse": adverse,
            "adverse_from": land.labels[j] if adverse > 0 else None,
        }
    return out


def orient(land: Landscape, x, blocs: Sequence[Bloc]) -> np.ndarray:
    """Flip a two-coalition configuration so that the blocs' members sit on their own sides.

    The orientation with the larger size-weighted share of bloc members on their bloc's side wins.
    """
    x = np.asarray(x).astype(np.int8)
    agree = 0.0
    for b in blocs:
        for m in b.members:
            i = land.index(m)
            agree += land.sizes[i] * (1.0 if x[i] == b.side else -1.0)
    return x if agree >= 0 else (1 - x).astype(np.int8)


@dataclass
class ShockResult:
    """Alignments before and after a shock to some propensities.

    ``before``/``after`` map each label to ``side``, ``class``, ``frustration`` and ``margin`` (the
    frustration an actor would add by switching, :math:`\\sigma_i h_i`; small means exposed).
    ``after`` follows the myopic dynamics from the pre-shock minimum (what the shock sets moving);
    ``after_global`` is the post-shock global minimum.
    """

    landscape_before: Landscape
    landscape_after: Landscape
    config_before: np.ndarray
    config_after: np.ndarray
    config_after_global: np.ndarray
    before: dict[str, dict]
    after: dict[str, dict]
    after_global_sides: dict[str, int]
    moves: list[tuple]
    changes: dict[str, float]
    energy_before: float
    energy_after: float
    notes: list[str] = field(default_factory=list)

    def changed(self) -> list[str]:
        """Actors whose side or class changed."""
        return [lab for lab in self.before
                if self.before[lab]["side"] != self.after[lab]["side"]
                or self.before[lab]["class"] != self.after[lab]["class"]]

    def to_dict(self) -> dict:
        return {
            "changes": self.changes,
            "energy_before": self.energy_before,
            "energy_after": self.energy_after,
            "before": self.before,
            "after": self.after,
            "after_global_sides": self.after_global_sides,
            "moves": [list(m) for m in self.moves],
            "changed": self.changed(),
            "notes": self.notes,
        }


def _state(land, x, blocs, kw):
    cls = classify_alignment(land, blocs, **kw)
    fr = frustration(land, x)
    margin = (1.0 - 2.0 * x) * local_fields(land, x)
    return {lab: {"side": int(x[i]), "class": cls[lab]["class"], "bloc": cls[lab]["bloc"],
                  "frustration": float(fr[i]), "margin": float(margin[i]),
                  "adverse": cls[lab]["adverse"], "adverse_from": cls[lab]["adverse_from"]}
            for i, lab in enumerate(land.labels)}


def _global_min(land: Landscape, seed) -> np.ndarray:
    if land.n <= 24:
        from pactnet.landscape.exact import local_minima

        return local_minima(land)[0].config
    from pactnet.landscape.heuristic import multistart

    return multistart(land, runs=2000, seed=seed).minima[0].config


def shock(
    land: Landscape,
    source: str,
    targets: Sequence[str],
    *,
    to: float | None = None,
    by: float | None = None,
    blocs: Sequence[Bloc] = (),
    start: np.ndarray | Mapping[str, int] | None = None,
    order: str = "lowest_index",
    seed=None,
    **classify_kw,
) -> ShockResult:
    """Change ``source``'s propensity to each of ``targets`` and re-minimise the landscape.

    Models a 2022-style shock: an invasion makes the invader's propensity to its neighbours more
    adverse (``to=-1.0`` sets it; ``by=-0.5`` lowers it). The pre-shock alignment is the global
    minimum (or ``start``); after the shock the myopic dynamics run from it with move ``order``.

    Parameters
    ----------
    blocs : sequence of Bloc
        Used to orient sides (bloc members on their bloc's side) and to classify actors before and
        after with :func:`classify_alignment` (extra keywords go there).
    seed : optional
        Only for the random move order and the heuristic solver on large landscapes.

    Returns
    -------
    ShockResult
        Per-actor side, class, frustration and margin before and after, the moves made, and the
        post-shock global minimum's sides.
    """
    from pactnet.landscape.model import descend

    if (to is None) == (by is None):
        raise InputError("give exactly one of to= (new propensity) or by= (change)")
    i = land.index(source)
    P = np.array(land.propensity, dtype=float)
    changes = {}
    for t in targets:
        j = land.index(t)
        if j == i:
            raise InputError(f"{source} cannot shock itself")
        new = float(to) if to is not None else float(P[i, j] + by)
        P[i, j] = P[j, i] = new
        changes[f"{source}-{t}"] = new
    after_land = land.with_propensity(P, provenance={**land.provenance, "shock": changes})
    x0 = land.config(start) if start is not None else _global_min(land, seed)
    x0 = orient(land, x0, blocs) if blocs else np.asarray(x0, dtype=np.int8)
    x1, moves = descend(after_land, x0, k=2, order=order, seed=seed, record=True)
    x1 = x1.astype(np.int8)
    xg = _global_min(after_land, seed)
    xg = orient(after_land, xg, blocs) if blocs else xg
    return ShockResult(
        landscape_before=land, landscape_after=after_land,
        config_before=x0, config_after=x1, config_after_global=np.asarray(xg, dtype=np.int8),
        before=_state(land, x0, blocs, classify_kw), after=_state(after_land, x1, blocs, classify_kw),
        after_global_sides={lab: int(v) for lab, v in zip(land.labels, xg, strict=True)},
        moves=moves, changes=changes,
        energy_before=energy(land, x0), energy_after=energy(after_land, x1),
    )
