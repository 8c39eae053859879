"""Read YAML while keeping the line of every mapping and key, so errors can say ``file:line``.

Two readers give the same documents. :func:`load_yaml` is the exact one: PyYAML's C loader, a constructor that
records every mapping's and key's line, and the alias-bomb and depth guards. :func:`load_yaml_fast` first tries
rapidyaml (``ryml``, a C++ parser, about twenty times faster) through its JSON output, and keeps that result
only where it provably equals the exact reader's; otherwise it returns the exact reader's. The fast result
carries the line of the document's keys and of each top-level record (what the store keeps), not of nested
mappings or keys: a caller that reports errors re-reads with :func:`load_yaml` (see
:func:`pactnet.kb.validate.load_files`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .._gc import paused
from ..errors import ValidationError

try:  # a core dependency; a platform without its wheel reads every file with the exact reader
    import ryml
except ImportError:  # pragma: no cover - depends on the platform
    ryml = None

__all__ = ["LineDict", "load_yaml", "load_yaml_fast"]

try:  # the C loader is several times faster; marks are kept either way
    _Base = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - pure-python PyYAML
    _Base = yaml.SafeLoader


class LineDict(dict):
    """A mapping that remembers its own line (``line``) and the line of each key (``key_lines``); 1-based."""

    line: int = 0
    #: Empty unless the exact reader built the mapping (the fast reader records no key lines).
    key_lines: Mapping[str, int] = MappingProxyType({})


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


def _read_text(path: Path, name: str) -> str:
    from ..errors import DatasetError
    from ..files import decode_text, read_limited

    try:
        return decode_text(read_limited(path, name=name, limit=MAX_BYTES, decompress=False), name=name,
                           fallback=None)
    except DatasetError as exc:
        raise ValidationError(exc.detail, file=name, line=exc.line) from None


def load_yaml(path: str | Path, display: str | None = None) -> Any:
    """Parse one YAML file; a syntax error becomes a :class:`ValidationError` naming ``file:line``.

    The file is read through :mod:`pactnet.files` (a regular file of at most 16 MiB, UTF-8 text); a document
    whose aliases add more than :data:`MAX_ALIAS_NODES` nodes, or nested too deeply, is refused.
    """
    path = Path(path)
    name = display or str(path)
    return _load_exact(_read_text(path, name), name)


def load_yaml_fast(path: str | Path, display: str | None = None) -> tuple[Any, bool]:
    """``(document, fast)``: the document :func:`load_yaml` returns, read by rapidyaml when that is provably
    the same (``fast`` true), else by :func:`load_yaml` itself (same errors).

    A fast document's mappings are :class:`LineDict`; the top-level mapping has its ``line`` and ``key_lines``,
    each item of a top-level list of mappings (``ties:``, ``actors:`` ...) its ``line``; nested mappings have
    neither (``line`` 0, no key lines).
    """
    path = Path(path)
    name = display or str(path)
    text = _read_text(path, name)
    doc = _load_fast(text)
    if doc is None:
        return _load_exact(text, name), False
    return doc, True


def _load_exact(text: str, name: str) -> Any:
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


# ------------------------------------------------------------------------------------------ the fast reader
#
# rapidyaml parses a file into a C++ tree and writes it out as JSON, which :func:`json.loads` reads at C speed.
# JSON loses what YAML 1.1 gives meaning to, and rapidyaml accepts some text libyaml refuses, so the fast reader
# declines (the exact reader then runs) whenever the two could differ:
# - the text leaves a plain subset (_outside_subset): no line break at the end, tabs, unusual characters or line
#   breaks, escapes other than \" and \\, anchors, aliases, tags, directives, document markers, explicit keys,
#   block-scalar indentation indicators, characters libyaml cannot start a token with, lines of 1,000+ bytes
#   (libyaml caps a key at 1,024);
# - rapidyaml refuses it, or its JSON is not strict JSON (a control character, +5 ...), or has " #" in a string
#   (rapidyaml reads {a: b #c} as "b #c"; libyaml's plain scalars never hold " #");
# - a string (key, value or list item) that the exact reader's implicit resolvers would type (yes, ~, 0x1F,
#   1:30, 2022 as a key, .inf, <<, =, the empty string ...): in JSON a quoted "yes" and a plain yes look alike.
#   Dates are an exception (the exact reader keeps them as text too), and so are values written as JSON
#   integers ("1992"): rapidyaml writes a plain 1992 as the JSON number, so the text was quoted;
# - a float (rapidyaml rewrites -.5 as -0.5, which PyYAML reads as text), a duplicate key, a key with a space or
#   a line break (it may have been folded from several lines, which libyaml refuses), nesting deeper than
#   _MAX_DEPTH, a top level that is not a mapping;
# - the lines of the top-level keys and records cannot be found unambiguously (_place_records).
# JSON integers are plain decimal integers, which both read alike.

_MAX_DEPTH = 64
#: Characters libyaml reads differently or refuses: tab, form feed, NEL, line and paragraph separators, BOM ...
_ODD_CHAR = re.compile(r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_LONG_LINE = re.compile(rb"\n[^\n]{1000}")
#: Indicators refused where a token starts (anchor, alias, tag, directive-like, reserved, a closing bracket
#: outside a flow collection), explicit keys, block-scalar indentation indicators.
_INDICATOR = re.compile(r"[&*!%@`\]}]|\?(?=[ \n]|$)|[|>](?=[-+]?[0-9]|[0-9][-+])")
_RISKY_FIRST = frozenset(_Loader.yaml_implicit_resolvers)  # first characters the resolvers look at ('' too)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _outside_subset(text: str, data: bytes) -> bool:
    """Whether ``text`` (``data`` encoded) may use YAML that the fast reader does not vouch for (see above)."""
    if (not text.endswith("\n")  # rapidyaml ends a block scalar on the last line with a line break anyway
            or "\t" in text or "\x0c" in text or (not text.isascii() and _ODD_CHAR.search(text))
            or text.startswith(("---", "...")) or "\n---" in text or "\n..." in text):
        return True
    first_eol = data.find(b"\n")
    if (first_eol < 0 and len(data) >= 1000) or first_eol >= 1000 or _LONG_LINE.search(data):
        return True  # libyaml caps a key at 1,024 bytes
    pos = text.find("\\")
    while pos >= 0:  # escapes other than \" and \\ (\x, \u, \N, a line continuation ...)
        if text[pos + 1:pos + 2] not in ('"', "\\"):
            return True
        pos = text.find("\\", pos + 2)
    for ch in "&*!%@`?|>]}":  # rare in prose: each occurrence is looked at
        pos = text.find(ch)
        while pos >= 0:
            if _INDICATOR.match(text, pos) and _token_starts(text, pos, flow=ch not in "]}"):
                return True
            pos = text.find(ch, pos + 1)
    return False


def _token_starts(text: str, pos: int, *, flow: bool = True) -> bool:
    """Whether a token may start at ``pos`` (conservatively: also in prose and comments); ``flow``: also
    inside a flow collection (a closing bracket there ends it)."""
    j = pos
    while j > 0 and text[j - 1] == " ":
        j -= 1
    before = text[j - 1] if j else "\n"
    return before == "\n" or (flow and before in "[]{},") or (before in "-:?" and j < pos)


class _Decline(Exception):
    """The fast reader cannot vouch for this document."""


def _decline(_text: str) -> Any:
    raise _Decline


def _typed_by_resolvers(s: str) -> bool:
    """Whether the exact reader would read ``s``, written plain, as something other than text."""
    for tag, regexp in _Loader.yaml_implicit_resolvers.get(s[:1], ()):
        if tag != _TIMESTAMP and regexp.match(s):
            return True
    return False


_JSON_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")


def _typed_value(s: str) -> bool:
    """Like :func:`_typed_by_resolvers` for a value or list item, where rapidyaml writes a plain JSON-integer
    text as a number: such a string was quoted."""
    return _typed_by_resolvers(s) and not _JSON_INT.fullmatch(s)


def _load_fast(text: str) -> LineDict | None:
    """The document, or None when the fast reader declines (see above)."""
    data = text.encode("utf-8")
    if ryml is None or _outside_subset(text, data):
        return None
    try:
        js = _ryml_json(data)
    except Exception:  # noqa: BLE001 - any refusal by rapidyaml: the exact reader says why
        return None
    if js is None or " #" in js:  # rapidyaml keeps a comment after a plain value in a flow mapping
        return None
    risky = _RISKY_FIRST
    seen_key: set[str] = set()  # keys and values already found to be text (they repeat)
    seen_value: set[str] = set()
    depths: dict[int, int] = {}  # id of each mapping built -> its depth, when more than 2

    def check_value(v: str) -> None:
        if _typed_value(v):
            raise _Decline
        seen_value.add(v)

    def list_depth(items: list[Any], depth: int) -> int:
        if depth > _MAX_DEPTH:
            raise _Decline
        deepest = 1
        for x in items:
            cls = x.__class__
            if cls is str:
                if x[:1] in risky and x not in seen_value:
                    check_value(x)
            elif cls is list:
                deepest = max(deepest, 1 + list_depth(x, depth + 1))
            elif cls is LineDict:
                deepest = max(deepest, 1 + depths.get(id(x), 2))
        return deepest

    def mapping(pairs: list[tuple[str, Any]]) -> LineDict:
        out = LineDict(pairs)
        if len(out) != len(pairs):
            raise _Decline  # a duplicate key: the exact reader reports it
        deepest = 1
        for k, v in pairs:
            if k not in seen_key:
                if _typed_by_resolvers(k) or " " in k or "\n" in k:  # (a key over lines: libyaml refuses it)
                    raise _Decline
                seen_key.add(k)
            cls = v.__class__
            if cls is str:
                if v[:1] in risky and v not in seen_value:
                    check_value(v)
            elif cls is list:
                for x in v:  # inline for the usual list of text
                    if x.__class__ is str:
                        if x[:1] in risky and x not in seen_value:
                            check_value(x)
                    else:
                        deepest = max(deepest, 1 + list_depth(v, 1))
                        break
                else:
                    deepest = max(deepest, 2)
            elif cls is LineDict:
                deepest = max(deepest, 1 + depths.get(id(v), 2))
        if deepest > 2:
            if deepest > _MAX_DEPTH:
                raise _Decline
            depths[id(out)] = deepest
        return out

    try:  # json.loads builds no cycles; without the promotion the first young collections after it walk the
        # document's million objects (a third of the reading time)
        with paused(promote=True):
            doc = json.loads(js, object_pairs_hook=mapping, parse_float=_decline, parse_constant=_decline)
    except (_Decline, ValueError, RecursionError):
        return None
    if not isinstance(doc, LineDict) or not _place_records(text, doc):
        return None
    return doc


def _ryml_json(data: bytes) -> str | None:
    """rapidyaml's JSON of ``data``; None when its top level is not a mapping. rapidyaml prints its errors
    (a parse error, nesting past its emitter's 64 levels) on the C stderr before raising them; the exact reader
    reports them instead, so the C stderr is silenced meanwhile."""
    saved, quiet = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(quiet, 2)
        tree = ryml.parse_in_arena(data)
        if not tree.is_map(tree.root_id()):
            return None
        return ryml.emit_json_malloc(tree, tree.root_id())
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(quiet)


_KEY_LINE = re.compile(r"\n(?=[^ #\n-])([^\n]*)")  # a line that starts in column 0 (after a leading newline)
_BARE_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ ]*:(?:[ ]|$)")
_EMPTY_AFTER_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*[ ]*:[ ]*(?:#.*)?")
_FIRST_ITEM = re.compile(r"\n(?:[ ]*(?:#[^\n]*)?\n)*( *)-[ ]")


def _place_records(text: str, doc: LineDict) -> bool:
    """Give ``doc`` its line and key lines and each mapping in its top-level lists its line, from the text.

    Every top-level key must sit on a line of its own starting in column 0 (``ties:``), and the lines starting
    in column 0 that are not comments or list items must be exactly those keys, in order; a list's items must
    each start with ``- `` and something on the same line, at the indentation of the first item, and their
    count must be the list's length. Then no line inside a multi-line string can pass for a key or an item
    without changing a count, so the lines are those the exact reader gives (a mapping starts at its first key
    or ``{``). False when any of that fails.
    """
    body = "\n" + text  # every line starts after a newline; body offsets are text offsets + 1
    keys = list(doc)
    starts: list[int] = []
    for i, m in enumerate(_KEY_LINE.finditer(body)):
        key = _BARE_KEY.match(m.group(1))
        if i >= len(keys) or key is None or key.group(1) != keys[i]:
            return False
        starts.append(m.start())
    if len(starts) != len(keys):
        return False
    key_line, item_line = _LineCounter(body), _LineCounter(body)
    doc.key_lines = {k: key_line(pos) for k, pos in zip(keys, starts, strict=True)}
    doc.line = doc.key_lines[keys[0]] if keys else 1
    ends = starts[1:] + [len(body)]
    for key, start, end in zip(keys, starts, ends, strict=True):
        items = doc[key]
        if not isinstance(items, list) or not any(isinstance(x, LineDict) for x in items):
            continue  # no mapping to place
        if not all(isinstance(x, LineDict) for x in items):
            return False
        eol = body.find("\n", start + 1)
        eol = len(body) if eol < 0 else eol
        if not _EMPTY_AFTER_KEY.fullmatch(body, start + 1, eol):
            return False  # a flow list or something else on the key's line
        first = _FIRST_ITEM.match(body, eol)
        if first is None or first.end() > end:
            return False
        indent = len(first.group(1))
        if re.compile(rf"\n {{{indent}}}-[ ]*(?:#[^\n]*)?(?=\n|$)").search(body, eol, end):
            return False  # an item whose mapping starts on a later line
        found = [m.start() for m in re.compile(rf"\n {{{indent}}}-[ ]").finditer(body, eol, end)]
        if len(found) != len(items):
            return False
        for item, line in zip(items, item_line.lines(found), strict=True):
            item.line = line
    return True


class _LineCounter:
    """The 1-based line of ``body`` offsets (each a newline's offset), asked in increasing order."""

    def __init__(self, body: str) -> None:
        self.body, self.pos, self.line = body, 0, 0

    def __call__(self, pos: int) -> int:
        self.line += self.body.count("\n", self.pos, pos + 1)
        self.pos = pos + 1
        return self.line

    def lines(self, positions: list[int]) -> list[int]:
        """The lines of increasing ``positions``."""
        count, out, line, prev = self.body.count, [], self.line, self.pos
        for pos in positions:
            line += count("\n", prev, pos + 1)
            prev = pos + 1
            out.append(line)
        self.line, self.pos = line, prev
        return out
