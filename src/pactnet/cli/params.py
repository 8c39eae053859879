"""Parameter types and option groups shared by every command, declared once.

The types check the form of a value where it enters (a date, a list of attributes, a ``NAME=VALUE``
setting); the library checks meaning (an actor that exists) and names its own parameters in its errors,
which :mod:`pactnet.cli` translates back to flags.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

__all__ = [
    "DATE",
    "ACTOR",
    "YEAR",
    "CommaList",
    "Setting",
    "PairSetting",
    "Bloc",
    "store_options",
    "output_options",
    "view_option",
    "via_option",
    "kb_option",
    "POSITIVE",
    "SEED",
]


class DateType(click.ParamType):
    """``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``~YYYY``; kept as text for the library to interpret."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from pactnet.schema import parse_date

        if value is None or not isinstance(value, str):
            return value
        try:
            parse_date(value)
        except ValueError:
            self.fail(f"{value!r} is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)", param, ctx)
        return value.strip()


class YearType(click.ParamType):
    """A calendar year, 1 to 9999."""

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            year = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a year", param, ctx)
        if not 1 <= year <= 9999:
            self.fail(f"{year} is not a year between 1 and 9999", param, ctx)
        return year


class ActorType(click.ParamType):
    """An actor: id or ISO3 code in any case, COW code, name or alias (resolved by the library)."""

    name = "actor"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value).strip()
        if not text:
            self.fail("an actor is required (id, ISO3 code, COW code or name)", param, ctx)
        return text


class CommaList(click.ParamType):
    """A comma-separated list, optionally checked against the allowed words."""

    name = "list"

    def __init__(self, choices: tuple[str, ...] | None = None) -> None:
        self.choices = choices

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple | list):
            return tuple(value)
        items = tuple(v.strip() for v in str(value).split(",") if v.strip())
        if self.choices is not None:
            bad = [v for v in items if v not in self.choices]
            if bad:
                self.fail(f"unknown {', '.join(map(repr, bad))}; expected some of {', '.join(self.choices)}",
                          param, ctx)
        return items


class Setting(click.ParamType):
    """``NAME=NUMBER`` (a model parameter or weight)."""

    name = "name=value"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        name, sep, raw = str(value).partition("=")
        if not sep or not name.strip():
            self.fail(f"{value!r}: expected NAME=VALUE", param, ctx)
        try:
            number = float(raw)
        except ValueError:
            self.fail(f"{value!r}: {raw!r} is not a number", param, ctx)
        return name.strip(), number


class PairSetting(click.ParamType):
    """``A:B=NUMBER`` (one propensity between two actors)."""

    name = "a:b=value"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        pair, eq, raw = str(value).partition("=")
        a, colon, b = pair.partition(":")
        if not (eq and colon and a.strip() and b.strip()):
            self.fail(f"{value!r}: expected A:B=VALUE, e.g. CHN:KHM=0.6", param, ctx)
        try:
            number = float(raw)
        except ValueError:
            self.fail(f"{value!r}: {raw!r} is not a number", param, ctx)
        return (a.strip(), b.strip()), number


class Bloc(click.ParamType):
    """``NAME=SIDE:A,B,C`` (a named bloc of actors on side 0 or 1)."""

    name = "name=side:actors"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        name, eq, rest = str(value).partition("=")
        side, colon, members = rest.partition(":")
        items = tuple(m.strip() for m in members.split(",") if m.strip())
        if not (eq and colon and name.strip() and items) or side.strip() not in ("0", "1"):
            self.fail(f"{value!r}: expected NAME=SIDE:A,B,C with SIDE 0 or 1, e.g. NATO=0:USA,GBR,POL", param, ctx)
        return name.strip(), int(side), items


class Bounded(click.ParamType):
    """An integer in [lo, hi]."""

    name = "integer"

    def __init__(self, lo: int, hi: int | None = None) -> None:
        self.lo, self.hi = lo, hi

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            n = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not an integer", param, ctx)
        if n < self.lo or (self.hi is not None and n > self.hi):
            rng = f"at least {self.lo}" if self.hi is None else f"between {self.lo} and {self.hi}"
            self.fail(f"{n} is out of range (expected {rng})", param, ctx)
        return n


DATE = DateType()
YEAR = YearType()
ACTOR = ActorType()
#: A count that must be at least one (runs, samples, replicas).
POSITIVE = Bounded(1, 10**9)
#: A seed for NumPy's SeedSequence: a non-negative integer.
SEED = Bounded(0, 2**63 - 1)


def _default_db_help() -> str:
    return "The DuckDB store (default: $PACTNET_DB, else pactnet.duckdb in the user data folder)."


def kb_option(f: Callable) -> Callable:
    """``--kb DIR``: the knowledge-base folder (also ``$PACTNET_KB``)."""
    return click.option("--kb", type=click.Path(exists=True, file_okay=False), default=None,
                        help="Knowledge-base folder (default: $PACTNET_KB, else the one the store was built from, "
                             "else the shipped one).")(f)


def store_options(f: Callable) -> Callable:
    """``--db`` and ``--kb``; the command receives ``store`` (a :class:`pactnet.store.Store`)."""

    @click.option("--db", type=click.Path(dir_okay=False), default=None, help=_default_db_help())
    @kb_option
    @functools.wraps(f)
    def wrapper(db: str | None, kb: str | None, **kw: Any) -> Any:
        from pactnet.store import open_store

        return f(store=open_store(db, kb), **kw)

    return wrapper


def output_options(f: Callable) -> Callable:
    """``--format table|csv|json|parquet`` and ``--out FILE``."""
    f = click.option("--out", "-o", type=click.Path(dir_okay=False), default=None,
                     help="Write to this file (atomically) instead of standard output.")(f)
    return click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "parquet"]),
                        default="table", show_default=True,
                        help="Output format (CSV joins lists with ';'; parquet needs --out).")(f)


def view_option(f: Callable) -> Callable:
    """``--view record|briefing``."""
    return click.option("--view", type=click.Choice(["record", "briefing"]), default="record", show_default=True,
                        help="The public record, or the briefing's own dates and levels where they differ.")(f)


def via_option(f: Callable) -> Callable:
    """``--via/--no-via``."""
    return click.option("--via/--no-via", default=True, show_default=True,
                        help="Include ties held through a common alliance organisation (via NATO ...).")(f)
