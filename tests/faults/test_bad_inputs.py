"""Bad input, table-driven: every case exits with status 2, prints one ``Error:`` line that names where the
problem is (file and line, or the flag), and leaves every table of the store as it was.

Each case is ``(id, setup, where)``: ``setup(sb)`` writes what the case needs beside the sandbox store and
returns the command line; ``where`` is a regular expression the error line must match (its location).
"""

from __future__ import annotations

import gzip
import io
import os
import random
import re
import zipfile
from pathlib import Path

import pytest

from tests.conftest import TINY, write_kb
from tests.faults.conftest import COW_HEAD, COW_ROWS, Sandbox, cow_csv, litter, table_checksums

# ------------------------------------------------------------------------------------------ knowledge base


def kb_with(sb: Sandbox, files: dict[str, str | bytes], *, drop: tuple[str, ...] = ()) -> Path:
    """A copy of the tiny knowledge base with some files replaced, added or dropped."""
    import textwrap

    root = sb.root / "badkb"
    kept = {k: v for k, v in TINY.items() if k not in files and k not in drop}
    write_kb(root, kept) if kept else root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = root / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def edit(name: str, old: str, new: str, count: int = 1, command: str = "build"):
    """A knowledge base whose file ``name`` has ``old`` replaced by ``new``."""
    import textwrap

    def setup(sb: Sandbox) -> list[str]:
        text = textwrap.dedent(TINY[name])
        assert old in text, old
        return [command, "--kb", kb_with(sb, {name: text.replace(old, new, count)})]

    return setup


def kb_files(files: dict[str, str | bytes], drop: tuple[str, ...] = (), command: str = "build"):
    def setup(sb: Sandbox) -> list[str]:
        return [command, "--kb", kb_with(sb, files, drop=drop)]

    return setup


ALIAS_BOMB = "a: &a [" + ",".join(["lol"] * 9) + "]\n" + "".join(
    f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
) + "ties:\n  - id: x\n    note: *i\n"


def fifo_kb(sb: Sandbox) -> list[str]:
    root = kb_with(sb, {})
    os.mkfifo(root / "pipe.yaml")
    return ["validate", "--kb", root]


def huge_kb(sb: Sandbox) -> list[str]:
    root = kb_with(sb, {})
    with open(root / "huge.yaml", "w") as fh:
        fh.write("# " + "x" * (17 << 20) + "\n")
    return ["build", "--kb", root]


KB_CASES = [
    ("kb-note-mapping", edit("ties.yaml", "    vital: true\n", "    vital: true\n    note: {a: 1}\n"),
     r"ties\.yaml:\d+, record usa-nato, field note: must be text"),
    ("kb-name-list", edit("actors.yaml", "name: Finland", "name: [Finland, Suomi]"),
     r"actors\.yaml:\d+, record FIN, field name: must be text"),
    ("kb-name-number", edit("actors.yaml", "name: Finland", "name: 1917"), r"actors\.yaml:\d+, record FIN, field name"),
    ("kb-event-description-mapping", edit("ties.yaml", "description: Finland joins NATO.", "description: {x: 1}"),
     r"ties\.yaml:\d+, record fin-accession, field description"),
    ("kb-phase-note-list", edit("ties.yaml", "level: ad_hoc, sources", "level: ad_hoc, note: [a], sources"),
     r"ties\.yaml:\d+, record usa-pak-gwot phase 1, field note"),
    ("kb-briefing-note-list", edit("ties.yaml", 'note: "The briefing dates it 2008."', "note: [a, b]"),
     r"ties\.yaml:\d+, record usa-pak-base \(briefing view\), field note"),
    ("kb-citation-number", edit("sources.yaml", 'citation: "A treaty"', "citation: 42"),
     r"sources\.yaml:\d+, record treaty, field citation"),
    ("kb-ccode-text", edit("actors.yaml", "ccode: 375", "ccode: three"), r"actors\.yaml:\d+, record FIN, field ccode"),
    ("kb-start-not-date", edit("ties.yaml", "start: 2023-04-04", "start: soon"),
     r"ties\.yaml:\d+, record fin-nato, field start: not a date"),
    ("kb-start-mapping", edit("ties.yaml", "start: 2023-04-04", "start: {y: 2023}"),
     r"ties\.yaml:\d+, record fin-nato, field start"),
    ("kb-end-before-start", edit("ties.yaml", "end: 2023-04-04\n", "end: 2020-01-01\n"),
     r"ties\.yaml:\d+, record usa-fin-assurance, field end"),
    ("kb-unknown-field", edit("ties.yaml", "    vital: true\n", "    vital: true\n    colour: blue\n"),
     r"ties\.yaml:\d+, record usa-nato, field colour: unknown field"),
    ("kb-unknown-kind", edit("ties.yaml", "kind: security_assurance", "kind: friendship"),
     r"ties\.yaml:\d+, record usa-fin-assurance, field kind"),
    ("kb-vital-text", edit("ties.yaml", "vital: true", "vital: maybe"),
     r"ties\.yaml:\d+, record usa-nato, field vital"),
    ("kb-no-sources", edit("ties.yaml", '    sources: ["briefing@L25"]\n    phases', "    phases"),
     r"ties\.yaml:\d+, record usa-pak-gwot, field sources"),
    ("kb-unknown-source", edit("ties.yaml", '"treaty@Art. 10"', '"nowhere@p. 1"'),
     r"ties\.yaml:\d+, record usa-nato, field sources: cites unknown source"),
    ("kb-sources-mapping", edit("ties.yaml", 'sources: ["treaty@Art. 10"]', "sources: {a: [1]}"),
     r"ties\.yaml:\d+, record usa-nato, field sources"),
    ("kb-unknown-actor", edit("ties.yaml", "target: FIN\n", "target: XYZ\n"),
     r"ties\.yaml:\d+, record usa-fin-assurance, field target"),
    ("kb-self-tie", edit("ties.yaml", "source: FIN\n    target: NATO", "source: NATO\n    target: NATO"),
     r"ties\.yaml:\d+, record fin-nato, field target"),
    ("kb-duplicate-id", edit("ties.yaml", "id: fin-nato", "id: usa-nato"),
     r"ties\.yaml:\d+, record usa-nato, field id"),
    ("kb-syntax-error", kb_files({"zz.yaml": "ties:\n  - id: a\n    source: [\n"}), r"zz\.yaml:3: YAML syntax error"),
    ("kb-tab-indent", kb_files({"zz.yaml": "ties:\n\t- id: a\n"}), r"zz\.yaml:2: YAML syntax error"),
    ("kb-duplicate-key", kb_files({"zz.yaml": "ties:\n  - id: a\n    id: b\n"}), r"zz\.yaml:3: YAML syntax error"),
    ("kb-alias-bomb", kb_files({"zz.yaml": ALIAS_BOMB}), r"zz\.yaml:1: YAML aliases expand"),
    ("kb-deep-nesting", kb_files({"zz.yaml": "a: " + "[" * 5000 + "]" * 5000 + "\n"}), r"zz\.yaml:1: YAML"),
    ("kb-top-level-list", kb_files({"zz.yaml": "- a\n- b\n"}), r"zz\.yaml:1: top level must be a mapping"),
    ("kb-unknown-top-level", kb_files({"zz.yaml": "tie:\n  - id: a\n"}), r"zz\.yaml:1: unknown top-level key"),
    ("kb-binary", kb_files({"zz.yaml": b"\x00\x01\x02garbage\xff"}), r"zz\.yaml:1: binary data"),
    ("kb-latin1", kb_files({"zz.yaml": "# caf\xe9\nties: []\n".encode("latin-1")}),
     r"zz\.yaml:1: not UTF-8 text: byte 0xe9 at byte offset 5"),
    ("kb-all-empty", kb_files({"a.yaml": "", "b.yaml": "\n"}, drop=tuple(TINY)), r"badkb: the knowledge base holds no"),
    ("kb-all-empty-validate", kb_files({"a.yaml": ""}, drop=tuple(TINY), command="validate"),
     r"badkb: the knowledge base holds no"),
    ("kb-note-mapping-validate", edit("ties.yaml", "    vital: true\n", "    vital: true\n    note: {a: 1}\n",
                                      command="validate"),
     r"ties\.yaml:\d+, record usa-nato, field note"),
    ("kb-named-pipe", fifo_kb, r"pipe\.yaml: not a regular file"),
    ("kb-file-too-large", huge_kb, r"huge\.yaml: file is larger than the input limit"),
]

# ------------------------------------------------------------------------------------------ importers


def write(name: str, data: str | bytes, *args: str, dataset: str = "cow-states"):
    def setup(sb: Sandbox) -> list[str]:
        path = sb.root / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return ["import", dataset, path, *args]

    return setup


def zipped(name: str, member: str, data: bytes, dataset: str = "cow-states", cut: int | None = None):
    def setup(sb: Sandbox) -> list[str]:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(member, data)
        raw = buf.getvalue()
        (sb.root / name).write_bytes(raw[:cut] if cut else raw)
        return ["import", dataset, sb.root / name]

    return setup


def zip_bomb(sb: Sandbox) -> list[str]:
    path = sb.root / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("cow_states.csv", b"0" * (80 << 20))
    return ["import", "cow-states", path]


def special(target: str):
    def setup(sb: Sandbox) -> list[str]:
        if target == "fifo":
            path = sb.root / "cow_states.csv"
            os.mkfifo(path)
            return ["import", "cow-states", path]
        return ["import", "cow-states", target]

    return setup


def bad_row(row: str, at: int = 2):
    rows = list(COW_ROWS)
    rows[at - 2] = row
    return cow_csv(rows)


GOOD = cow_csv()
BAD_CODE = COW_ROWS[1].replace(",375,", ",x,")
IMPORT_CASES = [
    ("imp-binary", write("cow_states.csv", random.Random(8).randbytes(64) + b"\0" * 8),
     r"cow_states\.csv, line \d+, column \d+: binary data"),
    ("imp-nul", write("cow_states.csv", GOOD.encode()[:40] + b"\0" + GOOD.encode()[40:]),
     r"cow_states\.csv, line 1, column 41: binary data"),
    ("imp-undecodable", write("cow_states.csv", GOOD.encode().replace(b"Finland", b"Fin\x81and")),
     r"cow_states\.csv, line 3, column \d+: not UTF-8 text: byte 0x81 at byte offset \d+"),
    ("imp-cr-only-bad-cell", write("cow_states.csv", cow_csv([COW_ROWS[0], BAD_CODE], sep="\r")),
     r"cow_states\.csv, line 3, column 2 \(ccode\)"),
    ("imp-crlf-bad-cell", write("cow_states.csv", cow_csv([COW_ROWS[0], BAD_CODE], sep="\r\n")),
     r"cow_states\.csv, line 3, column 2 \(ccode\)"),
    ("imp-long-cell", write("cow_states.csv", bad_row('"' + "x" * 140_000 + '",2,A,1816,1,1,2016,12,31,2016', 3)),
     r"cow_states\.csv, line 3: cannot parse CSV: a cell longer than"),
    ("imp-unclosed-quote", write("cow_states.csv", bad_row('USA,2,"United States,1816,1,1,2016,12,31,2016', 2)),
     r"cow_states\.csv, line \d+"),
    ("imp-empty", write("cow_states.csv", ""), r"cow_states\.csv, line 1: file is empty"),
    ("imp-header-only", write("cow_states.csv", COW_HEAD + "\n"), r"cow_states\.csv, line 2: no data rows"),
    ("imp-wrong-header", write("cow_states.csv", GOOD.replace("ccode", "code", 1)), r"cow_states\.csv, line 1"),
    ("imp-short-row", write("cow_states.csv", bad_row("FIN,375,Finland,1917", 3)),
     r"cow_states\.csv, line 3: wrong number of fields"),
    ("imp-text-code", write("cow_states.csv", bad_row("FIN,FI,Finland,1917,12,6,2016,12,31,2016", 3)),
     r"cow_states\.csv, line 3, column 2 \(ccode\): expected"),
    ("imp-month-13", write("cow_states.csv", bad_row("FIN,375,Finland,1917,13,6,2016,12,31,2016", 3)),
     r"cow_states\.csv, line 3, column 5 \(stmonth\)"),
    ("imp-exit-before-entry", write("cow_states.csv", bad_row("FIN,375,Finland,1917,12,6,1900,12,31,2016", 3)),
     r"cow_states\.csv, line 3, column end"),
    ("imp-dev-zero", special("/dev/zero"), r"/dev/zero: is a device"),
    ("imp-dev-null", special("/dev/null"), r"/dev/null: is a device"),
    ("imp-named-pipe", special("fifo"), r"cow_states\.csv: is a named pipe"),
    ("imp-missing", special("/nonexistent/cow_states.csv"), r"cow_states\.csv: no such file"),
    ("imp-zip-bomb", zip_bomb, r"bomb\.zip/cow_states\.csv: expands to 80\.0 MiB"),
    ("imp-gzip-bomb", write("cow_nmc_v7.csv.gz", gzip.compress(b"0" * (80 << 20), 9), dataset="nmc"),
     r"cow_nmc_v7\.csv\.gz: decompressed gzip stream is larger than the input limit"),
    ("imp-truncated-gzip", write("cow_nmc_v7.csv.gz", gzip.compress(b"ccode,year\n" * 5000)[:100], dataset="nmc"),
     r"cow_nmc_v7\.csv\.gz: truncated gzip file"),
    ("imp-truncated-zip", zipped("states.zip", "cow_states.csv", GOOD.encode() * 50, cut=120),
     r"states\.zip: not a readable zip archive"),
    ("imp-zip-without-file", zipped("states.zip", "readme.txt", b"nothing here"),
     r"states\.zip: zip archive has no a COW state list"),
    ("imp-zip-member-binary", zipped("states.zip", "cow_states.csv", b"\0\1\2" * 100),
     r"cow_states\.csv, line 1, column 1: binary data"),
    ("imp-empty-folder", lambda sb: (sb.root / "empty").mkdir() or ["import", "atop", sb.root / "empty"],
     r"empty: folder has no the ATOP member-level file"),
    ("imp-atop-bad-member", write("atop5_1m.csv", "atopid,cowid\n1,2\n", dataset="atop"),
     r"atop5_1m\.csv, line 1"),
]

# ------------------------------------------------------------------------------------------ the store


def db_at(make, *command: str):
    """Run ``command`` with ``--db`` pointing at what ``make(sb)`` creates; the store itself is left alone."""

    def setup(sb: Sandbox) -> list[str]:
        target = make(sb)
        return [*command, "--db", target]

    return setup


def user_csv(sb: Sandbox) -> Path:
    p = sb.root / "important.csv"
    p.write_text("a,b\n1,2\n")
    return p


def user_duckdb(sb: Sandbox) -> Path:
    import duckdb

    p = sb.root / "mine.duckdb"
    con = duckdb.connect(str(p))
    con.execute("CREATE TABLE events AS SELECT 1 AS x")
    con.close()
    return p


def truncated_copy(sb: Sandbox) -> Path:
    p = sb.root / "cut.duckdb"
    p.write_bytes(sb.db.read_bytes()[:20000])
    return p


def missing_folder(sb: Sandbox) -> Path:
    return sb.root / "no" / "such" / "folder" / "p.duckdb"


def out_to(make, *command: str):
    def setup(sb: Sandbox) -> list[str]:
        return [*command, "--out", make(sb)]

    return setup


STORE_CASES = [
    ("store-build-over-csv", db_at(user_csv, "build"), r"important\.csv: cannot open the database .*not a DuckDB file"),
    ("store-import-over-csv", lambda sb: ["import", "cow-states", write_good(sb), "--db", user_csv(sb)],
     r"important\.csv: cannot open the database"),
    ("store-query-csv", db_at(user_csv, "ties"), r"important\.csv"),
    ("store-build-user-duckdb", db_at(user_duckdb, "build"),
     r"mine\.duckdb: a DuckDB file that pactnet did not create"),
    ("store-query-user-duckdb", db_at(user_duckdb, "ties"), r"mine\.duckdb: a DuckDB file that pactnet did not create"),
    ("store-truncated-query", db_at(truncated_copy, "ties"), r"cut\.duckdb: cannot open the database"),
    ("store-truncated-build", db_at(truncated_copy, "build"), r"cut\.duckdb: cannot open the database .*force"),
    ("store-missing-folder-build", db_at(missing_folder, "build"), r"p\.duckdb: the folder .*folder does not exist"),
    ("store-missing-folder-import", lambda sb: ["import", "cow-states", write_good(sb), "--db", missing_folder(sb)],
     r"the folder .* does not exist"),
    ("store-db-is-folder", db_at(lambda sb: sb.root, "build"), r"--db"),
    ("out-over-store", out_to(lambda sb: sb.db, "ties", "--format", "json"), r"--out: .*pactnet\.duckdb is a database"),
    ("out-over-store-csv", out_to(lambda sb: sb.db, "actors", "--format", "csv"), r"--out: .*is a database"),
    ("out-over-user-duckdb", out_to(user_duckdb, "events", "--format", "json"), r"--out: .*mine\.duckdb is a database"),
    ("out-parquet-over-store", out_to(lambda sb: sb.db, "ties", "--format", "parquet"), r"--out: .*is a database"),
    ("out-missing-folder", out_to(lambda sb: sb.root / "nope" / "x.json", "ties", "--format", "json"),
     r"--out: .*x\.json: the folder .* does not exist"),
    ("out-unwritable", out_to(lambda sb: Path("/proc/pactnet-x.json"), "ties", "--format", "json"),
     r"--out: /proc/pactnet-x\.json: cannot write here"),
    ("out-is-folder", out_to(lambda sb: sb.root, "ties", "--format", "csv"), r"--out"),
]
STORE_CASES.append(("out-graph-over-store", lambda sb: ["snapshot", "--at", "2020", "--out", str(sb.db) + ".graphml",
                                                          "--db", rename_store(sb, ".graphml")],
                    r"--out: .*is a database"))


def write_good(sb: Sandbox) -> Path:
    p = sb.root / "cow_states.csv"
    p.write_text(cow_csv())
    return p


def rename_store(sb: Sandbox, suffix: str) -> Path:
    """Give the sandbox store a name ending in ``suffix`` (so a graph written 'there' would hit it)."""
    target = Path(str(sb.db) + suffix)
    os.replace(sb.db, target)
    sb.db = target
    return target


# ------------------------------------------------------------------------------------------ queries


def q(*args: str):
    return lambda sb: list(args)


QUERY_CASES = [
    ("q-events-from-after-to", q("events", "--from", "2020", "--to", "2010"), r"--to: '2010' is before start '2020'"),
    ("q-ties-from-after-to", q("ties", "--from", "2021-05", "--to", "2021-04"),
     r"--to: '2021-04' is before start '2021-05'"),
    ("q-diff-from-after-to", q("diff", "--from", "2022", "--to", "2006"), r"--to: '2006' is before start '2022'"),
    ("q-portfolio-from-after-to", q("portfolio", "--patron", "USA", "--from", "2024", "--to", "1990"),
     r"--to: 1990 is before start 2024"),
    ("q-summary-from-after-to", q("summary", "--from", "2024", "--to", "1990"), r"--to: 1990 is before start 2024"),
    ("q-at-not-a-date", q("ties", "--at", "yesterday"), r"'--at'.*'yesterday' is not a date"),
    ("q-at-bad-month", q("ties", "--at", "2020-13"), r"'--at'.*not a date"),
    ("q-year-zero", q("portfolio", "--patron", "USA", "--from", "0"), r"'--from'.*0 is not a year"),
    ("q-year-text", q("summary", "--to", "soon"), r"'--to'.*'soon' is not a year"),
    ("q-unknown-patron", q("ties", "--patron", "ATLANTIS"), r"--patron: .*ATLANTIS"),
    ("q-unknown-history-actor", q("history", "ATLANTIS"), r"ATLANTIS"),
    ("q-bad-min-level", q("ties", "--min-level", "eternal"), r"--min-level: .*eternal"),
    ("q-bad-format", q("ties", "--format", "xml"), r"'--format'"),
    ("q-parquet-to-stdout", q("ties", "--format", "parquet"), r"--out: the parquet format needs an output file"),
    ("q-unknown-dataset-ties", q("ties", "--dataset", "nosuch"), r"nosuch"),
    ("q-graph-suffix", lambda sb: ["snapshot", "--at", "2020", "--out", sb.root / "g.txt"], r"g\.txt: unknown graph"),
]

# ------------------------------------------------------------------------------------------ panels, landscape

def panel(*args: str):
    def setup(sb: Sandbox) -> list[str]:
        return ["panel", "state-year", "--out", sb.root / "panel.parquet", *args]

    return setup


def matrix(text: str | bytes | None, *args: str, special_path: str | None = None):
    def setup(sb: Sandbox) -> list[str]:
        p = sb.root / "P.csv"
        s = sb.root / "S.csv"
        if text is not None:
            p.write_bytes(text.encode() if isinstance(text, str) else text)
        s.write_text("label,size\nA,1\nB,1\nC,1\n")
        return ["landscape", "solve", "-p", special_path or p, "-s", s, *args]

    return setup


def scenario(data: bytes | None, path: str | None = None):
    def setup(sb: Sandbox) -> list[str]:
        p = sb.root / "scenario.yaml"
        if data is not None:
            p.write_bytes(data)
        return ["sim", "run", path or p, "--replicas", "1", "--out", sb.root / "sim.parquet"]

    return setup


GOOD_MATRIX = ",A,B,C\nA,0,1,-1\nB,1,0,0.5\nC,-1,0.5,0\n"
OTHER_CASES = [
    ("panel-states-binary", lambda sb: (sb.root / "st.csv").write_bytes(b"\0\1\2\3garbage") and
     panel("--states", sb.root / "st.csv")(sb), r"st\.csv, line 1, column \d+: binary data"),
    ("panel-states-dev-zero", panel("--states", "/dev/zero"), r"zero: is a device"),
    ("panel-states-missing", panel("--states", "/nonexistent/st.csv"), r"st\.csv"),
    ("panel-to-before-from", panel("--from", "2000", "--to", "1990"), r"--to"),
    ("panel-to-99999", panel("--to", "99999"), r"--to"),
    ("land-matrix-binary", matrix(b"\0\1\2garbage\xff\xfe"), r"P\.csv"),
    ("land-matrix-dev-zero", matrix(None, special_path="/dev/zero"), r"zero"),
    ("sim-scenario-alias-bomb", scenario(ALIAS_BOMB.encode()), r"scenario\.yaml:1: YAML aliases expand"),
    ("sim-scenario-binary", scenario(b"\0\1bin"), r"scenario\.yaml:1: binary data"),
    ("sim-scenario-syntax", scenario(b"name: x\nsteps: [1, 2\n"), r"scenario\.yaml:2: YAML syntax error"),
    ("sim-scenario-dev-zero", scenario(None, "/dev/zero"), r"/dev/zero: is a device"),
    ("land-matrix-not-square", matrix(",A,B,C\nA,0,1\n"), r"P\.csv"),
    ("land-matrix-text-cell", matrix(GOOD_MATRIX.replace("0.5", "half", 1)), r"P\.csv"),
    ("land-samples-negative", matrix(GOOD_MATRIX, "--samples", "-5", "--basins", "sample"), r"--samples"),
    ("land-samples-zero", matrix(GOOD_MATRIX, "--samples", "0", "--basins", "sample"), r"--samples"),
    ("land-seed-negative", matrix(GOOD_MATRIX, "--seed", "-1", "--method", "multistart"), r"--seed"),
    ("land-runs-zero", matrix(GOOD_MATRIX, "--runs", "0", "--method", "multistart"), r"--runs"),
]


def _params(cases):
    return [c if isinstance(c, type(pytest.param(None))) else pytest.param(*c, id=c[0]) for c in cases]


ALL = _params(KB_CASES) + _params(IMPORT_CASES) + _params(STORE_CASES) + _params(QUERY_CASES) + _params(OTHER_CASES)


def test_there_are_at_least_sixty_cases():
    assert len(ALL) >= 60, len(ALL)


@pytest.mark.parametrize(("name", "setup", "where"), ALL)
def test_bad_input(sandbox: Sandbox, name: str, setup, where: str) -> None:
    args = setup(sandbox)
    before = table_checksums(sandbox.db)
    before_files = {str(p.relative_to(sandbox.root)) for p in sandbox.root.rglob("*")}
    result = sandbox.run(*args)
    out = result.output  # click 8.2 mixes stderr into output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{name}: {type(result.exception).__name__}: {result.exception}\n{out}")
    assert result.exit_code == 2, f"{name}: exit {result.exit_code}\n{out}"
    errors = [line for line in out.splitlines() if line.startswith("Error: ")]
    # One error, one line; a knowledge base may have several, each on its line, then their count.
    one = len(errors) == 1 or out.rstrip().endswith(f"{len(errors)} errors")
    assert one, f"{name}: expected one Error: line\n{out}"
    assert len(errors[0]) < 1000, f"{name}: a {len(errors[0]):,}-character message"
    assert re.search(where, errors[0]), f"{name}: {errors[0]!r} does not match {where!r}"
    assert "Traceback" not in out
    # The store: every table as it was, and nothing left beside it.
    assert table_checksums(sandbox.db) == before
    assert litter(sandbox.db.parent) == []
    after = sorted(str(p.relative_to(sandbox.root)) for p in sandbox.root.rglob("*"))
    new = [f for f in after if f not in before_files and not f.endswith(("panel.parquet", ".graphml", "sim.parquet"))]
    assert not [f for f in new if f.endswith((".lock", ".tmp", ".part", ".wal")) or (sandbox.root / f).is_dir()], new
