"""The indicators' weights: parameters with documented defaults (docs/indicators.md, "Weights").

Every weight is a plain number that the sensitivity analysis (:func:`~pactnet.indicators.sensitivity`)
moves by +/-50%. None is fitted to the briefing's judgements: the defaults are round values stated before
the judgements were checked, and the sensitivity analysis reports what depends on them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from ..errors import InputError

__all__ = ["Weights", "DEFAULT_WEIGHTS"]


@dataclass(frozen=True)
class Weights:
    """Weights of the indicators (all non-negative).

    Attributes
    ----------
    ambiguity : float
        Where strategic ambiguity (a ``statutory_commitment`` such as the Taiwan Relations Act) sits between
        an assurance (0) and a guarantee (1) on the depth scale. Default 0.5.
    org_share : float
        Share with which a partner's tie to an alliance organisation of the patron (Ukraine's NATO
        partnership) counts as a tie with the patron. Default 0.5.
    breadth : float
        Weight of a tie's breadth (its number of contents, up to 5, over 5) beside its depth in a tie's
        value. Default 0.5.
    campaign : float
        How much cheaper a tie is to leave when its drivers are campaigns (GWOT, War on Drugs, counter-piracy,
        stabilisation): the depth that binds the patron is reduced by this share. Default 0.5.
    vital : float
        How much harder a tie marked ``vital`` is to leave (share of exit ease removed). Default 0.5.
    nuclear : float
        Weight of the partner's own nuclear weapons as an outside option, in tie-value units. Default 1.0.
    covert : float
        Weight of covert support for the patron's adversaries against one cooperative tie with them, in
        the partner's divergence. Default 2.0.
    hostility : float
        Weight of a revisionist power's hostile ties (rivalry, armed conflict) with the partner beside its
        proximity, in halfway-house exposure. Default 0.5.
    threat : float
        Weight of a rival's threats (hostile ties) against its offers (cooperative ties), in rival pull.
        Default 1.0.
    """

    ambiguity: float = 0.5
    org_share: float = 0.5
    breadth: float = 0.5
    campaign: float = 0.5
    vital: float = 0.5
    nuclear: float = 1.0
    covert: float = 2.0
    hostility: float = 0.5
    threat: float = 1.0

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if not isinstance(v, int | float) or isinstance(v, bool) or v < 0:
                raise InputError(f"weights: {f.name} must be a non-negative number, got {v!r}")
        for name in ("ambiguity", "org_share", "campaign", "vital"):
            if getattr(self, name) > 1:
                raise InputError(f"weights: {name} is a share and must be at most 1, got {getattr(self, name)!r}")

    def scaled(self, name: str, factor: float) -> Weights:
        """A copy with one weight multiplied by ``factor`` (shares are capped at 1)."""
        if name not in self.names():
            raise InputError(f"weights: unknown weight {name!r}; expected one of {', '.join(self.names())}")
        value = getattr(self, name) * factor
        if name in ("ambiguity", "org_share", "campaign", "vital"):
            value = min(value, 1.0)
        return replace(self, **{name: value})

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The weights' names, in declaration order."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def coerce(cls, value: Any) -> Weights:
        """``None`` (the defaults), a :class:`Weights`, or a mapping of weight names to numbers."""
        if value is None:
            return DEFAULT_WEIGHTS
        if isinstance(value, Weights):
            return value
        if isinstance(value, dict):
            unknown = sorted(set(value) - set(cls.names()))
            if unknown:
                raise InputError(f"weights: unknown weight {unknown[0]!r}; expected one of {', '.join(cls.names())}")
            return replace(DEFAULT_WEIGHTS, **value)
        raise InputError(f"weights: expected a Weights or a mapping of weight names to numbers, got {value!r}")

    def as_dict(self) -> dict[str, float]:
        """The weights as a plain mapping."""
        return asdict(self)


DEFAULT_WEIGHTS = Weights()
