"""The landscape model of Axelrod & Bennett (1993): actors, frustration, energy and myopic dynamics.

A :class:`Landscape` holds sizes ``s_i > 0`` and a symmetric propensity matrix ``p_ij`` with a zero
diagonal. A configuration assigns each actor a coalition label ``0 .. k-1``; two actors are at
distance ``d_ij = 1`` when their labels differ. Everything in this module is plain NumPy; the fast
solvers live in :mod:`pactnet.landscape.exact` and :mod:`pactnet.landscape.heuristic`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from pactnet.errors import InputError

__all__ = [
    "Landscape",
    "MOVE_ORDERS",
    "frustration",
    "energy",
    "local_fields",
    "gains",
    "is_local_minimum",
    "descend",
    "canonical",
    "sides",
]

#: The move orders the dynamics support (see :func:`descend`).
MOVE_ORDERS = ("lowest_index", "steepest", "random")


@dataclass(frozen=True, eq=False)
class Landscape:
    """Actors with sizes and pairwise propensities, validated on construction.

    Parameters
    ----------
    labels : sequence of str
        Distinct actor labels (e.g. ISO3 codes).
    sizes : array_like of float, shape (n,)
        Sizes ``s_i > 0`` (e.g. CINC shares).
    propensity : array_like of float, shape (n, n)
        Symmetric propensities ``p_ij = p_ji`` with a zero diagonal; positive means the pair
        prefers to be on the same side.
    pinned : mapping of str to int, optional
        Actors that never move, with their fixed coalition (used for Galam's bloc anchors and for
        scenarios). Other actors are free.
    provenance : dict, optional
        Where the numbers came from (free-form, carried into JSON output).

    Raises
    ------
    InputError
        If the matrix is not square, not symmetric, has a non-zero diagonal or a NaN/inf entry, if
        a size is not positive and finite, or if labels are missing or repeated. The message names
        the row and column (labels) at fault.
    """

    labels: tuple[str, ...]
    sizes: np.ndarray
    propensity: np.ndarray
    pinned: Mapping[str, int] = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        labels = tuple(str(x) for x in self.labels)
        sizes = np.asarray(self.sizes, dtype=float)
        P = np.asarray(self.propensity, dtype=float)
        _validate(labels, sizes, P)
        pinned = dict(self.pinned or {})
        for lab, side in pinned.items():
            if lab not in labels:
                raise InputError(f"pinned actor {lab!r} is not one of the labels")
            if int(side) < 0:
                raise InputError(f"pinned actor {lab!r}: coalition must be >= 0, got {side!r}")
        sizes.setflags(write=False)
        P = P.copy()
        P.setflags(write=False)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "sizes", sizes)
        object.__setattr__(self, "propensity", P)
        object.__setattr__(self, "pinned", {k: int(v) for k, v in pinned.items()})

    @property
    def n(self) -> int:
        """Number of actors."""
        return len(self.labels)

    @property
    def weights(self) -> np.ndarray:
        """``A[k, j] = s_k p_kj``: actor k's contribution to the field on actor j."""
        return self.sizes[:, None] * self.propensity

    @property
    def movable(self) -> np.ndarray:
        """Boolean mask of the actors that may move (not pinned)."""
        m = np.ones(self.n, dtype=bool)
        for lab in self.pinned:
            m[self.labels.index(lab)] = False
        return m

    def index(self, label: str) -> int:
        """Position of ``label``; raises :class:`InputError` for an unknown label."""
        try:
            return self.labels.index(label)
        except ValueError:
            raise InputError(f"unknown actor {label!r} (known: {', '.join(self.labels)})") from None

    def with_propensity(self, propensity: np.ndarray, **changes) -> Landscape:
        """A copy with another propensity matrix (and optionally other fields)."""
        kw = dict(labels=self.labels, sizes=self.sizes, propensity=propensity, pinned=self.pinned,
                  provenance=dict(self.provenance))
        kw.update(changes)
        return Landscape(**kw)

    def config(self, assignment: Mapping[str, int] | Sequence[int]) -> np.ndarray:
        """A configuration array from a label->coalition mapping or a sequence of labels."""
        if isinstance(assignment, Mapping):
            x = np.zeros(self.n, dtype=np.int8)
            for lab, c in assignment.items():
                x[self.index(lab)] = int(c)
            return x
        return _as_config(self, assignment)


def _validate(labels: tuple[str, ...], sizes: np.ndarray, P: np.ndarray) -> None:
    n = len(labels)
    if n < 2:
        raise InputError(f"a landscape needs at least 2 actors, got {n}")
    seen: dict[str, int] = {}
    for i, lab in enumerate(labels):
        if not lab.strip():
            raise InputError(f"label {i + 1} is empty")
        if lab in seen:
            raise InputError(f"label {lab!r} appears twice (positions {seen[lab] + 1} and {i + 1})")
        seen[lab] = i
    if P.ndim != 2 or P.shape[0] != P.shape[1]:
        raise InputError(f"propensity matrix must be square, got shape {P.shape}")
    if P.shape[0] != n:
        raise InputError(f"propensity matrix is {P.shape[0]}x{P.shape[1]} but there are {n} labels")
    if sizes.shape != (n,):
        raise InputError(f"expected {n} sizes (one per label), got {sizes.size}")
    for i in range(n):
        if not math.isfinite(sizes[i]):
            raise InputError(f"size of {labels[i]} is {sizes[i]} (expected a finite number > 0)")
        if sizes[i] <= 0:
            raise InputError(f"size of {labels[i]} is {sizes[i]:g} (expected > 0)")
    bad = ~np.isfinite(P)
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        raise InputError(
            f"propensity at row {labels[i]}, column {labels[j]} is {P[i, j]} (expected a finite number)"
        )
    diag = np.flatnonzero(np.diag(P) != 0)
    if diag.size:
        i = int(diag[0])
        raise InputError(
            f"propensity at row {labels[i]}, column {labels[i]} is {P[i, i]:g} (the diagonal must be 0)"
        )
    asym = np.abs(P - P.T) > 1e-12 * max(1.0, float(np.abs(P).max()))
    if asym.any():
        i, j = map(int, np.argwhere(np.triu(asym))[0])
        raise InputError(
            f"propensity matrix is not symmetric: row {labels[i]}, column {labels[j]} is {P[i, j]:g} "
            f"but row {labels[j]}, column {labels[i]} is {P[j, i]:g}"
        )


def _as_config(land: Landscape, x) -> np.ndarray:
    if isinstance(x, Mapping):
        return land.config(x)
    arr = np.asarray(x)
    if arr.dtype.kind in "US":
        raise InputError("a configuration is a sequence of coalition numbers or a label mapping")
    arr = arr.astype(np.int64)
    if arr.shape != (land.n,):
        raise InputError(f"configuration has {arr.size} entries, expected {land.n}")
    if (arr < 0).any():
        raise InputError("coalition numbers must be >= 0")
    return arr.astype(np.int8 if arr.max(initial=0) < 127 else np.int64)


def _pulls(land: Landscape, x: np.ndarray, k: int | None = None) -> np.ndarray:
    """G[i, a] = sum_{j in coalition a} s_j p_ij."""
    k = int(x.max()) + 1 if k is None else k
    onehot = np.zeros((land.n, k))
    onehot[np.arange(land.n), x] = 1.0
    return land.weights.T @ onehot


def frustration(land: Landscape, x) -> np.ndarray:
    r"""Frustration of every actor in configuration ``x``.

    .. math:: F_i(X) = \sum_{j \ne i} s_j \, p_{ij} \, d_{ij}(X)

    Parameters
    ----------
    land : Landscape
    x : array_like of int or mapping
        Coalition label of every actor.

    Returns
    -------
    numpy.ndarray, shape (n,)

    References
    ----------
    .. [1] Axelrod, R. & Bennett, D. S. (1993). A landscape theory of aggregation. BJPS 23(2).
    """
    x = _as_config(land, x)
    d = (x[:, None] != x[None, :]).astype(float)
    return (land.propensity * d) @ land.sizes


def energy(land: Landscape, x, *, pairs: str = "ordered") -> float:
    r"""Energy of configuration ``x``.

    .. math:: E(X) = \sum_i s_i F_i(X) = \sum_i \sum_{j \ne i} s_i s_j p_{ij} d_{ij}(X)

    Parameters
    ----------
    pairs : {"ordered", "unordered"}
        ``"ordered"`` (default) is the sum over ordered pairs written by Axelrod & Bennett, in which
        every pair counts twice; ``"unordered"`` counts each pair once and equals half of it.

    Notes
    -----
    The dynamics and the set of minima do not depend on the convention; only reported numbers do.
    """
    x = _as_config(land, x)
    e = float(land.sizes @ frustration(land, x))
    if pairs == "ordered":
        return e
    if pairs == "unordered":
        return e / 2.0
    raise InputError(f"pairs must be 'ordered' or 'unordered', got {pairs!r}")


def local_fields(land: Landscape, x) -> np.ndarray:
    r"""Galam's local field in a two-coalition configuration, :math:`h_i = \sum_j s_j p_{ij} \sigma_j`.

    Side 0 is :math:`\sigma = +1`, side 1 is :math:`\sigma = -1`. Actor ``i`` lowers its frustration
    by switching iff :math:`\sigma_i h_i < 0`; the change is :math:`\Delta F_i = \sigma_i h_i`.
    """
    x = _as_config(land, x)
    if x.max(initial=0) > 1:
        raise InputError("local fields are defined for two coalitions (labels 0 and 1)")
    sigma = 1.0 - 2.0 * x
    return land.weights.T @ sigma


def gains(land: Landscape, x, k: int | None = None) -> np.ndarray:
    """How much each actor's frustration would fall by its best move (<= 0 means it stays).

    Pinned actors get ``-inf``. ``k`` is the number of coalitions available (default: the labels used,
    at least 2).
    """
    x = _as_config(land, x)
    k = max(2, int(x.max()) + 1) if k is None else k
    G = _pulls(land, x, k)
    g = G.max(axis=1) - G[np.arange(land.n), x]
    g[~land.movable] = -np.inf
    return g


def _tol(land: Landscape) -> float:
    return 1e-9 * max(1.0, float(np.abs(land.weights).sum(axis=0).max()))


def is_local_minimum(land: Landscape, x, k: int | None = None) -> bool:
    """True if no movable actor can lower its own frustration by changing coalition."""
    return bool((gains(land, x, k) <= _tol(land)).all())


def descend(land: Landscape, x, *, k: int | None = None, order: str = "lowest_index",
            seed=None, rng: np.random.Generator | None = None, record: bool = False):
    """Run the myopic dynamics from ``x`` until no actor wants to move.

    One actor moves at a time, to the coalition that minimises its own frustration, and only if its
    frustration falls. ``order`` says which actor moves when several want to:

    * ``"lowest_index"``: the first such actor in label order (deterministic);
    * ``"steepest"``: the one whose move lowers the energy most (ties to the lowest index);
    * ``"random"``: one chosen uniformly among them (Izquierdo et al. 2009).

    Parameters
    ----------
    seed : int or numpy.random.SeedSequence, optional
        Seeds the random order; ignored by the deterministic orders. Use ``rng`` to pass a Generator.
    record : bool
        If True also return the list of ``(actor, from, to, energy_after)`` moves.

    Returns
    -------
    numpy.ndarray, or (numpy.ndarray, list) when ``record`` is True.
    """
    if order not in MOVE_ORDERS:
        raise InputError(f"order must be one of {', '.join(MOVE_ORDERS)}, got {order!r}")
    x = _as_config(land, x).astype(np.int64).copy()
    k = max(2, int(x.max()) + 1) if k is None else k
    if rng is None:
        rng = np.random.default_rng(seed)
    tol = _tol(land)
    mov = land.movable
    W = land.weights
    G = _pulls(land, x, k)
    moves = []
    e = energy(land, x)
    while True:
        cur = G[np.arange(land.n), x]
        best = G.argmax(axis=1)
        g = G.max(axis=1) - cur
        can = np.flatnonzero((g > tol) & mov)
        if can.size == 0:
            break
        if order == "lowest_index":
            i = int(can[0])
        elif order == "steepest":
            i = int(can[np.argmax(land.sizes[can] * g[can])])
        else:
            i = int(rng.choice(can))
        old, new = int(x[i]), int(best[i])
        G[:, old] -= W[i]
        G[:, new] += W[i]
        x[i] = new
        e -= 2.0 * land.sizes[i] * g[i]
        if record:
            moves.append((land.labels[i], old, new, e))
    return (x, moves) if record else x


def canonical(x, pinned: bool = False) -> np.ndarray:
    """Relabel coalitions in order of first appearance (so actor 0 is in coalition 0).

    Configurations that differ only by the names of the coalitions are the same alignment. With
    pinned actors the labels mean something and are kept as they are.
    """
    x = np.asarray(x)
    if pinned:
        return x.copy()
    mapping: dict[int, int] = {}
    out = np.empty_like(x)
    for i, c in enumerate(x.tolist()):
        if c not in mapping:
            mapping[c] = len(mapping)
        out[i] = mapping[c]
    return out


def sides(land: Landscape, x) -> list[list[str]]:
    """The coalitions of configuration ``x`` as lists of labels, coalition 0 first."""
    x = _as_config(land, x)
    return [[land.labels[i] for i in np.flatnonzero(x == c)] for c in range(int(x.max()) + 1)]
