"""The fast YAML reader returns exactly what the exact one does, or declines; errors stay those of the exact one.

``_load_fast(text)`` is the fast reader (None: declined), ``_load_exact(text, name)`` today's reader.
"""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pactnet.errors import ValidationError
from pactnet.kb import yamlio
from pactnet.kb.validate import DATA_DIR, _load_files, kb_files, load_files
from pactnet.kb.yamlio import LineDict, _load_exact, _load_fast, load_yaml, load_yaml_fast
from tests.conftest import REPO, TINY, write_kb

pytestmark = pytest.mark.skipif(yamlio.ryml is None, reason="rapidyaml is not installed on this platform")

RECORD_LISTS = ("sources", "actors", "ties", "events", "paragraphs", "attributes")


def assert_same(exact, fast, path="$"):
    """Equal values of the same types, mapping keys in the same order; the top-level records' lines and the
    document's key lines equal too."""
    assert type(fast) is type(exact), f"{path}: {type(fast).__name__} != {type(exact).__name__}"
    if isinstance(exact, dict):
        assert list(fast) == list(exact), f"{path}: keys {list(fast)} != {list(exact)}"
        for k in exact:
            assert_same(exact[k], fast[k], f"{path}.{k}")
    elif isinstance(exact, list):
        assert len(fast) == len(exact), f"{path}: {len(fast)} items != {len(exact)}"
        for i, (x, y) in enumerate(zip(exact, fast, strict=True)):
            assert_same(x, y, f"{path}[{i}]")
    else:
        assert fast == exact, f"{path}: {fast!r} != {exact!r}"
    if path == "$" and isinstance(exact, LineDict):
        assert fast.line == exact.line
        assert dict(fast.key_lines) == exact.key_lines
        for key, items in exact.items():
            if isinstance(items, list):
                for i, (x, y) in enumerate(zip(items, fast[key], strict=True)):
                    if isinstance(x, LineDict):
                        assert y.line == x.line, f"$.{key}[{i}]: line {y.line} != {x.line}"


def compare(text: str) -> bool:
    """Check the fast reader against the exact one on ``text``; whether the fast reader read it."""
    fast = _load_fast(text)
    try:
        exact = _load_exact(text, "f.yaml")
    except ValidationError as exc:
        assert fast is None, f"the exact reader refuses it ({exc}), the fast one read {fast!r}"
        return False
    if fast is not None:
        assert_same(exact, fast)
    return fast is not None


# ------------------------------------------------------------------------------------------ real files


@pytest.mark.parametrize("path", kb_files(DATA_DIR), ids=lambda p: p.name)
def test_shipped_file_read_fast_and_equal(path: Path) -> None:
    exact = load_yaml(path)
    fast, was_fast = load_yaml_fast(path)
    assert was_fast, f"{path.name} is not read by the fast reader"  # every shipped file is, today
    assert_same(exact, fast)


def test_synthetic_10000_ties_equal(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_queries", REPO / "benchmarks" / "queries.py")
    queries = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(queries)
    queries.synthetic_kb(tmp_path, 10_000)
    for path in kb_files(tmp_path):
        fast, was_fast = load_yaml_fast(path)
        assert was_fast
        assert_same(load_yaml(path), fast)


# ------------------------------------------------------------------------------------------ cases


@pytest.mark.parametrize("text", [
    "a: yes\n", "a: 'yes'\n", "a: ~\n", "a: 0x1F\n", "a: 1e3\n", "a: 1.5\n", "a: -.5\n", "a: .inf\n", "a: 1:30\n",
    "a: 012\n", "a: +5\n", "a: 1_000\n", "a: infinity\n", "a: NULL\n", "a: ''\n", "2022: a\n", "a: [on, off]\n",
    "a: 1\na: 2\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: <<\n", "a: =\n", "---\na: 1\n", "a: 1\n---\nb: 2\n",
    "a: @x\n", "a: `x\n", "a: %x\n", "? a\n: b\n", "a: |2\n   x\n", "a: \"\\x41\"\n", "a: \"x\\\n  y\"\n",
    "a:\tb\n", "a: x\u2028y\n", "a: x\x85y\n", "[1, 2]\n", "x\n", "", "# only a comment\n",
    "a: " + "[" * 80 + "]" * 80 + "\n", "k" * 1100 + ": v\n", "a: b: c\n", "a: \"b\"#c\n", "a: {b: c,\nd: e}\n",
    "a: {b\n  c: d}\n", "a: {\"b\n  c\": d}\n", "a\n b: c\n", "a: [b, {c: d,\n  e: f}]\n", "a b: c\n",
    "a: {b: c #x\n  }\n", "a: {b: c #x, d: e}\n", "a: |\n  x", "a: b", "a: b\n  #c\n  d\n", "- id: ]r0\n",
    "a: }x\n",
])
def test_declined_or_equal(text: str) -> None:
    assert not compare(text)  # each of these is declined (or refused by both)


@pytest.mark.parametrize("text", [
    "a: 2022\nb: \"2022\"\nc: 2022-05-18\nd: '2022-05'\ne: [x, 2, \"3\", null]\nf:\ng: true\n",
    "ties:\n- id: a\n  x: 1\n- {id: b, y: [c, d]}\n",
    "# c\n\nties:  # c\n\n  # c\n  - id: a\n    note: >\n      folded\n      - not an item\n\n"
    "    n: |-\n      lit\n  - id: b\n",
    "sources:\n  - id: x\n    citation: \"Say \\\"no\\\" \u00e9\"\n    note: it's a -b c:d e#f\n  - id: 'y'\n",
])
def test_read_fast_and_equal(text: str) -> None:
    assert compare(text)


def test_record_lines_ambiguous_declined() -> None:
    # A quoted string's continuation lines can look like items; the counts then differ and the reader declines.
    text = 'ties:\n  - id: a\n    note: "x\n  - y\n  z"\n  - id: b\n'
    assert _load_fast(text) is None
    assert compare('ties:\n  -\n    id: a\n  - id: b\n') is False  # a bare dash: the record starts a line later


def test_rapidyaml_writes_plain_integers_as_numbers() -> None:
    # The fast reader takes a JSON string "1992" for quoted text: rapidyaml must write a plain 1992 as a number.
    text = "a: 1992\nb: [1992, -3, 0]\nc: {d: 12345678901234567890}\n- x\n"[:-4]
    tree = yamlio.ryml.parse_in_arena(text.encode())
    js = yamlio.ryml.emit_json_malloc(tree, tree.root_id())
    assert js.replace(" ", "").replace("\n", "") == '{"a":1992,"b":[1992,-3,0],"c":{"d":12345678901234567890}}'


def test_without_rapidyaml_the_exact_reader(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("ties:\n  - id: a\n")
    assert load_yaml_fast(path)[1]
    monkeypatch.setattr(yamlio, "ryml", None)
    doc, was_fast = load_yaml_fast(path)
    assert not was_fast and doc == {"ties": [{"id": "a"}]}


def test_guards_hold_on_both_readers(tmp_path: Path, capfd) -> None:
    cases = {
        "bomb.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True)),
        "deep.yaml": "a: " + "[" * 400 + "]" * 400 + "\n",
        "syntax.yaml": "ties:\n  - id: a\n    source: [\n",
        "dup.yaml": "ties:\n  - id: a\n    id: b\n",
        "latin1.yaml": "a: caf\xe9\n".encode("latin-1"),
        "binary.yaml": b"a: \x00\n",
        "huge.yaml": b"a: b\n" * (yamlio.MAX_BYTES // 5 + 1),
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        with pytest.raises(ValidationError) as exact:
            load_yaml(path)
        with pytest.raises(ValidationError) as fast:
            load_yaml_fast(path)
        assert str(fast.value) == str(exact.value), name
        assert fast.value.line == exact.value.line, name
    assert capfd.readouterr().err == ""  # rapidyaml's own messages are not printed


# ------------------------------------------------------------------------------------------ validation


def _outcome(kb: Path, fast: bool):
    try:
        kb_read = _load_files(kb, None, fast=fast) if not fast else load_files(kb)
    except ValidationError as exc:
        return [str(e) for e in getattr(exc, "all_errors", [exc])]
    return kb_read


def _same_outcome(kb: Path) -> None:
    fast, exact = _outcome(kb, True), _outcome(kb, False)
    if isinstance(exact, list):
        assert fast == exact
        return
    assert not isinstance(fast, list), fast
    for attr in ("sources", "actors", "events", "citations", "paragraphs", "attributes", "files"):
        assert getattr(fast, attr) == getattr(exact, attr), attr
    strip = [{**t, "phases": [{k: v for k, v in p.items() if k != "line"} for p in t["phases"]]}
             for t in exact.ties]  # a phase's line (kept by no table) is 0 when read fast
    assert [{**t, "phases": [{k: v for k, v in p.items() if k != "line"} for p in t["phases"]]}
            for t in fast.ties] == strip


def _fault_kbs(tmp_path: Path):
    """Every knowledge base of the fault fixtures: tests/kb's malformed records and files, tests/faults' cases."""
    from tests.faults.test_bad_inputs import KB_CASES
    from tests.kb.test_validate import CASES

    for i, (file, old, new, *_rest) in enumerate(CASES):
        files = {k: textwrap.dedent(v) for k, v in TINY.items()}
        files[file] = files[file].replace(old, new, 1)
        yield f"validate-{i}", write_kb(tmp_path / f"v{i}", files)
    for i, text in enumerate(["ties:\n  - id: a\n    source: [\n", "ties:\n  - id: a\n  id: b\n", "tie:\n  - id: a\n",
                              "ties: {id: a}\n", "ties:\n  - just text\n"]):
        kb = write_kb(tmp_path / f"f{i}")
        (kb / "zz.yaml").write_text(text)
        yield f"file-{i}", kb
    for case in KB_CASES:
        name, setup = (case.values[0], case.values[1]) if hasattr(case, "values") else case[:2]
        sandbox = SimpleNamespace(root=tmp_path / f"faults-{name}")
        sandbox.root.mkdir()
        try:
            args = [str(a) for a in setup(sandbox)]
        except Exception:  # noqa: BLE001 - a case that needs the full sandbox: not a knowledge-base case
            continue
        if "--kb" in args:
            kb = Path(args[args.index("--kb") + 1])
            if kb.is_dir() and all(p.is_file() for p in kb.iterdir()):
                yield f"faults-{name}", kb


def test_fault_fixtures_same_errors_as_the_exact_reader(tmp_path: Path) -> None:
    seen = read_fast = 0
    for name, kb in _fault_kbs(tmp_path):
        try:
            _same_outcome(kb)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from None
        seen += 1
        read_fast += any(load_yaml_fast(p)[1] for p in kb_files(kb) if p.stat().st_size < yamlio.MAX_BYTES)
    assert seen >= 50, seen
    assert read_fast >= 40, read_fast  # most take the fast path first, then the retry


def test_shipped_kb_same_records() -> None:
    _same_outcome(DATA_DIR)


# ------------------------------------------------------------------------------------------ properties

WORDS = ["x", "plain words", "it's", "é ü ß", "日本", "yes", "No", "on", "OFF", "true", "False", "null", "Null", "~",
         "0", "7", "-3", "2022", "012", "0x1F", "0o7", "+5", "1_000", "1e3", "1.5", "-.5", ".5", "1.", ".inf", ".NaN",
         "1:30", "2022-05", "2022-05-18", "2022-05-18 10:00:00", "<<", "=", "", "a: b", "a #b", "a#b", "- x", "-x",
         "@x", "`x`", "%x", "!x", "&x", "*x", "? x", "[x]", "{x: y}", "x]", "x,y", "http://e.org/a?b=c&d", "a\\b",
         'say "hi"', "'q'", "|", ">", "#"]


def _scalar(draw, indent: int) -> str:
    word = draw(st.sampled_from(WORDS))
    style = draw(st.sampled_from(["plain", "plain", "single", "double", "block", "flow", "empty", "multi"]))
    if style == "single":
        return "'" + word.replace("'", "''") + "'"
    if style == "double":
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "block":
        head = draw(st.sampled_from(["|", ">", "|-", ">+", "|+", ">-"]))
        lines = draw(st.lists(st.sampled_from(WORDS + [""]), min_size=1, max_size=3))
        return head + "".join("\n" + (" " * (indent + 2) + w if w else "") for w in lines)
    if style == "flow":
        items = draw(st.lists(st.sampled_from(WORDS), max_size=3))
        quote = draw(st.booleans())
        return "[" + ", ".join('"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"' if quote else w
                               for w in items) + "]"
    if style == "empty":
        return ""
    if style == "multi":
        return word + "\n" + " " * (indent + 2) + draw(st.sampled_from(WORDS))
    return word


@st.composite
def kb_documents(draw) -> str:
    """KB-like YAML: top-level lists of records with plain, quoted, flow, block and multi-line scalars,
    comments, empty values, nested phase lists (block or flow), odd indentation."""
    out = []
    keys = draw(st.lists(st.sampled_from(["sources", "actors", "ties", "events", "notes", "2022", "yes"]),
                         min_size=1, max_size=3))
    for key in keys:
        if draw(st.booleans()):
            out.append("# " + draw(st.sampled_from(WORDS)))
        out.append(f"{key}:")
        item = draw(st.sampled_from([0, 2, 4]))
        for r in range(draw(st.integers(0, 3))):
            if draw(st.integers(0, 9)) == 0:
                out.append(" " * item + "- {id: r" + str(r) + ", n: " + draw(st.sampled_from(WORDS)) + "}")
                continue
            fields = draw(st.lists(st.sampled_from(["name", "kind", "note", "start", "ccode", "sources", "n"]),
                                   max_size=4))
            out.append(" " * item + f"- id: r{r}" + (" # c" if draw(st.booleans()) else ""))
            for f in fields:
                out.append(" " * (item + 2) + f"{f}: " + _scalar(draw, item + 2))
            if draw(st.integers(0, 3)) == 0:
                out.append(" " * (item + 2) + "phases:")
                for _ in range(draw(st.integers(1, 2))):
                    if draw(st.booleans()):
                        out.append(" " * (item + 4) + "- {start: " + draw(st.sampled_from(WORDS)) + ", level: x}")
                    else:
                        out.append(" " * (item + 4) + "- start: " + _scalar(draw, item + 6))
                        out.append(" " * (item + 6) + "level: " + _scalar(draw, item + 6))
    return "\n".join(out) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kb_documents())
def test_fast_reader_equals_exact_reader(text: str) -> None:
    compare(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kb_documents(), st.lists(st.tuples(st.floats(0, 1), st.sampled_from(
    ["", " ", "  ", "\n", "\n  ", ":", ": ", "- ", "-", "#", "'", '"', "[", "]", "{", "}", ",", "\\", "&", "*",
     "!", "|", ">", "?", "@", "\t", "---\n"]), st.integers(0, 3)), min_size=1, max_size=3))
def test_fast_reader_declines_what_the_exact_reader_refuses(text: str, edits) -> None:
    for where, insert, delete in edits:  # damage the document: insert a fragment, delete characters
        i = int(where * len(text))
        text = text[:i] + insert + text[i + delete:]
    compare(text)


def test_plain_documents_do_take_the_fast_path() -> None:
    # The properties above are not vacuous: KB-like documents without YAML 1.1 pitfalls are read fast.
    text = ("# c\nsources:\n  - id: r0\n    name: 'it''s'\n    note: |\n      x\n\n      y\n"
            "    sources: [a, \"b\"]\nties:\n- id: r1\n  phases:\n    - {start: 2022-05, level: x}\n"
            "    - start: '2022'\n      level: >-\n        y\n        z\n")
    assert compare(text)


def test_store_tables_same_as_with_the_exact_reader(tmp_path: Path, monkeypatch) -> None:
    from pactnet.store import Store
    from tests.faults.conftest import table_checksums

    kb = write_kb(tmp_path / "tiny")
    sums = {}
    for reader in ("fast", "exact"):
        if reader == "exact":
            monkeypatch.setattr(yamlio, "ryml", None)
        for name, folder in (("shipped", DATA_DIR), ("tiny", kb)):
            db = tmp_path / f"{reader}-{name}.duckdb"
            Store(db, folder).build()
            sums[reader, name] = table_checksums(db)
    for name in ("shipped", "tiny"):
        fast, exact = sums["fast", name], sums["exact", name]
        assert fast.keys() == exact.keys()
        assert [t for t in fast if fast[t] != exact[t] and t != "meta"] == [], name  # meta: the build time
