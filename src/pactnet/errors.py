"""The one exception tree of pactnet.

Every error a user can cause is a :class:`PactnetError`. Its message says where (file, line, record,
field), what was expected and what was found; the CLI prints it on one line and exits with status 2.
"""

from __future__ import annotations

__all__ = [
    "PactnetError",
    "ValidationError",
    "MissingSource",
    "UnknownReference",
    "StoreError",
    "DatasetError",
    "InputError",
    "ModelError",
    "MissingExtra",
]


#: The longest value an error message quotes; longer ones are cut (a huge cell or YAML value stays one line).
_MAX_QUOTE = 200


def _quote(value: object) -> str:
    """``repr(value)`` on one line, cut to :data:`_MAX_QUOTE` characters."""
    text = repr(value)
    return text if len(text) <= _MAX_QUOTE else text[:_MAX_QUOTE] + f"... ({len(text):,} characters)"


def _one_line(text: str) -> str:
    text = " ".join(text.split("\n"))
    return text if len(text) <= 4 * _MAX_QUOTE else text[:4 * _MAX_QUOTE] + "..."


class PactnetError(Exception):
    """Base class of every error pactnet raises on bad input or state.

    ``param`` names the library parameter at fault (``at``, ``patron`` ...) where there is one: the message
    then begins ``param: ...``, and the command line shows the flag instead (``--at: ...``).
    """

    exit_code = 2
    param: str | None = None


class ValidationError(PactnetError):
    """A record breaks the data model.

    ``file``, ``line``, ``record`` and ``field`` locate the problem; ``expected`` says what would be valid.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
        expected: str | None = None,
        got: object = None,
    ) -> None:
        self.file, self.line, self.record, self.field = file, line, record, field
        self.expected, self.got, self.detail = expected, got, message
        where = ""
        if file:
            where = f"{file}:{line}" if line else file
        parts = [p for p in (where, f"record {record}" if record else "", f"field {field}" if field else "") if p]
        text = ": ".join([", ".join(parts), message]) if parts else message
        if expected:
            text += f" (expected {expected}"
            text += f", got {_quote(got)})" if got is not None else ")"
        super().__init__(_one_line(text))


class MissingSource(ValidationError):
    """A curated record cites no source, or a citation lacks its locator."""


class UnknownReference(ValidationError):
    """A record points to an actor, tie or source id that does not exist."""


class StoreError(PactnetError):
    """The DuckDB store cannot be opened, built or written."""


class DatasetError(PactnetError):
    """An external dataset file cannot be read or does not match its documented format.

    ``file``, ``line``, ``column`` (name) and ``column_no`` (1-based) locate the problem; the message reads
    ``file, line L, column C (name): message; expected X, found Y``.
    """

    def __init__(
        self,
        message: str = "",
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        column_no: int | None = None,
        expected: str | None = None,
        found: object = None,
    ) -> None:
        self.file, self.line, self.column, self.column_no = file, line, column, column_no
        self.expected, self.found, self.detail = expected, found, message
        where = file or ""
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column_no} ({column})" if column_no else f", column {column}"
        elif column_no is not None:
            where += f", column {column_no}"
        text = f"{where}: {message}" if where and message else where or message
        if expected is not None:
            text += f"{';' if message else ':'} expected {expected}, found {_quote(found)}"
        super().__init__(_one_line(text))


class InputError(PactnetError):
    """A user-supplied argument or file (matrix, sizes, date) is invalid.

    With ``param``, the message is prefixed with the parameter's name: ``InputError("not a date: 'x'",
    param="at")`` reads ``at: not a date: 'x'``.
    """

    def __init__(self, message: str, *, param: str | None = None) -> None:
        self.param, self.detail = param, message
        super().__init__(_one_line(f"{param}: {message}" if param else message))


class ModelError(PactnetError):
    """A model cannot run on the given inputs (too many actors for the exact solver, ...)."""


class MissingExtra(PactnetError):
    """An optional dependency group is not installed; ``extra`` names it (``models``, ``web`` ...)."""

    def __init__(self, extra: str, module: str, what: str = "this") -> None:
        self.extra, self.module = extra, module
        super().__init__(f"{what} needs the '{extra}' extra ({module} is not installed): "
                         f"pip install 'pactnet[{extra}]'")
