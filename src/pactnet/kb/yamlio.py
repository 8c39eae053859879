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


#: How many nodes aliases may add to a YAML document once expanded (the shipped files use none); an "alias
#: bomb" (a kilobyte of nested aliases expanding to billions of nodes) stops here, before anything walks it.
MAX_ALIAS_NODES = 100_000
#: The largest knowledge-base file read, in bytes.
MAX_BYTES = 16 << 20


def _expanded_size(root: yaml.Node, limit: int) -> tuple[int, int]:
    """How many nodes ``root`` has with every alias expanded (counting up to just past ``limit``), and how
    many distinct nodes it has."""
    memo: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in memo:
            continue
        if isinstance(node, yaml.ScalarNode):
            memo[id(node)] = 1
            continue
        children = ([n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode)
                    else list(node.value))
        if done:
            memo[id(node)] = min(limit + 1, 1 + sum(memo.get(id(c), 0) for c in children))
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in memo)
    return memo[id(root)], len(memo)


def load_yaml(path: str | Path, display: str | None = None) -> Any:
    """Parse one YAML file; a syntax error becomes a :class:`ValidationError` naming ``file:line``.

    The file is read through :mod:`pactnet.files` (a regular file of at most 16 MiB, UTF-8 text); a document
    whose aliases add more than :data:`MAX_ALIAS_NODES` nodes, or nested too deeply, is refused.
    """
    from ..errors import DatasetError
    from ..files import decode_text, read_limited

    path = Path(path)
    name = display or str(path)
    try:
        text = decode_text(read_limited(path, name=name, limit=MAX_BYTES, decompress=False), name=name,
                           fallback=None)
    except DatasetError as exc:
        raise ValidationError(exc.detail, file=name, line=exc.line) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        limit = len(text) + MAX_ALIAS_NODES  # a document has fewer distinct nodes than characters
        expanded, distinct = _expanded_size(node, limit)
        if expanded - distinct > MAX_ALIAS_NODES:
            raise ValidationError(f"YAML aliases expand to more than {MAX_ALIAS_NODES:,} extra nodes (an alias bomb?)",
                                  file=name, line=node.start_mark.line + 1, expected="a file without nested aliases")
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        # A mark at the end of the file sits on the line after the last one: report the last line.
        last = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
        mark = exc.problem_mark or exc.context_mark
        line = min(mark.line + 1, last) if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and min(exc.context_mark.line + 1, last) != line:
            problem += f" ({exc.context} at line {exc.context_mark.line + 1})"
        raise ValidationError(f"YAML syntax error: {problem}", file=name, line=line,
                              expected="valid YAML") from None
    except RecursionError:
        raise ValidationError("YAML nested too deeply", file=name, expected="at most a few hundred levels") from None
    except yaml.YAMLError as exc:  # unmarked errors (a reader error on a control character ...)
        raise ValidationError(f"YAML error: {str(exc).splitlines()[0][:200]}", file=name) from None
    finally:
        loader.dispose()
