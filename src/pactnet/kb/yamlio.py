"""Read YAML while keeping the line of every mapping and key, so errors can say ``file:line``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import ValidationError

__all__ = ["LineDict", "load_yaml"]

try:  # the C loader is several times faster; marks are kept either way
    _Base = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - pure-python PyYAML
    _Base = yaml.SafeLoader


class LineDict(dict):
    """A mapping that remembers its own line (``line``) and the line of each key (``key_lines``); 1-based."""

    line: int = 0
    key_lines: dict[str, int]


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, f"mapping keys must be plain text, got {key!r}", key_node.start_mark
            )
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


def _construct_str_dates(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    # Dates stay text: precision ("2022-05" vs "2022-05-18") is part of the data.
    return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str_dates)


def load_yaml(path: str | Path, display: str | None = None) -> Any:
    """Parse one YAML file; a syntax error becomes a :class:`ValidationError` naming ``file:line``."""
    path = Path(path)
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=name) from None
    except OSError as exc:
        raise ValidationError(f"cannot read file: {exc.strerror}", file=name) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise ValidationError(f"YAML syntax error: {problem}", file=name, line=line,
                              expected="valid YAML") from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise ValidationError(f"YAML error: {exc}", file=name) from None
