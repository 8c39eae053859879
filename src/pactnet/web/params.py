"""Validation of the dashboard's query parameters: each request's parameters are checked here before any library
call, and a bad one becomes a 400 with a message naming it (:class:`BadRequest`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .. import schema as S

__all__ = ["BadRequest", "Params", "FIRST_YEAR", "check_id"]

FIRST_YEAR = 1945
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.\-]{0,79}$")


class BadRequest(Exception):
    """A request parameter is malformed or unknown; the message names it and says what was expected."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Params:
    """The query parameters of one request, read through typed getters that raise :class:`BadRequest`.

    ``allowed`` names the parameters the endpoint takes; any other is refused, so that a typo is not silently
    ignored.
    """

    def __init__(self, query: Mapping[str, str], allowed: Iterable[str], *, latest_year: int,
                 actors: Mapping[str, Any], regions: Iterable[str]) -> None:
        extra = sorted(set(query) - set(allowed))
        if extra:
            raise BadRequest(f"unknown parameter {extra[0]!r}; this page takes {', '.join(sorted(allowed)) or 'none'}")
        self.q = query
        self.latest_year = latest_year
        self.actors = actors
        self.regions = set(regions)

    def _raw(self, name: str) -> str | None:
        v = self.q.get(name)
        if v is None or v.strip() == "":
            return None
        if len(v) > 200:
            raise BadRequest(f"{name}: value too long ({len(v)} characters)")
        return v.strip()

    def date(self, name: str, default: str | None = None) -> str:
        """A date ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` between 1945 and the latest year of the data."""
        v = self._raw(name) or default
        if not v or v.startswith("~"):  # the dashboard takes exact dates or periods, not approximate ones
            raise BadRequest(f"{name}: not a date: {v!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
        try:
            y = S.parse_date(v).lo.year  # the knowledge base's own date rules
        except ValueError as exc:
            raise BadRequest(f"{name}: {exc} (expected YYYY, YYYY-MM or YYYY-MM-DD)") from None
        if not FIRST_YEAR <= y <= self.latest_year:
            raise BadRequest(f"{name}: {v!r} is outside {FIRST_YEAR}..{self.latest_year}")
        return v

    def year(self, name: str, default: int) -> int:
        v = self._raw(name)
        if v is None:
            return default
        if not re.fullmatch(r"\d{4}", v):
            raise BadRequest(f"{name}: not a year: {v!r} (expected YYYY)")
        y = int(v)
        if not FIRST_YEAR <= y <= self.latest_year:
            raise BadRequest(f"{name}: {y} is outside {FIRST_YEAR}..{self.latest_year}")
        return y

    def choice(self, name: str, allowed: Iterable[str], default: str | None = None) -> str | None:
        v = self._raw(name)
        if v is None:
            return default
        allowed = sorted(allowed)
        if v not in allowed:
            raise BadRequest(f"{name}: unknown value {v!r}; expected one of {', '.join(allowed)}")
        return v

    def view(self) -> str:
        return self.choice("view", S.VIEWS, "record")  # type: ignore[return-value]

    def actor(self, name: str, default: str | None = None, *, required: bool = False) -> str | None:
        v = self._raw(name)
        if v is None:
            if required and default is None:
                raise BadRequest(f"{name}: an actor id is required")
            return default
        if not _ID.match(v) or v not in self.actors:
            raise BadRequest(f"{name}: unknown actor {v!r} (see /actors)")
        return v

    def actor_list(self, name: str) -> list[str] | None:
        v = self._raw(name)
        if v is None:
            return None
        out = [a.strip() for a in v.split(",") if a.strip()]
        for a in out:
            if not _ID.match(a) or a not in self.actors:
                raise BadRequest(f"{name}: unknown actor {a!r} (see /actors)")
        if len(set(out)) != len(out):
            raise BadRequest(f"{name}: an actor is listed twice")
        return out

    def flag(self, name: str, default: bool) -> bool:
        v = self._raw(name)
        if v is None:
            return default
        if v.lower() in ("1", "true", "yes", "on"):
            return True
        if v.lower() in ("0", "false", "no", "off"):
            return False
        raise BadRequest(f"{name}: expected 1 or 0 (true or false), got {v!r}")

    def name(self, name: str) -> str | None:
        """A plain name (an ensemble, an indicator): letters, digits, ``_ . -``; never a path."""
        v = self._raw(name)
        if v is None:
            return None
        if not _ID.match(v) or ".." in v:
            raise BadRequest(f"{name}: not a valid name: {v!r} (letters, digits, '_', '.', '-')")
        return v


def check_id(value: str, kind: str) -> str:
    """An id taken from the URL path."""
    if not _ID.match(value):
        raise BadRequest(f"{kind}: not a valid id: {value!r}")
    return value
