"""Bad input: every error names the file, line, column, what was expected and what was found; the store stays."""

from __future__ import annotations

import io
import zipfile

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pactnet.cli import main
from pactnet.errors import DatasetError
from pactnet.imports import atop, import_dataset, states
from pactnet.imports._io import Col, SourceFile, read_csv_checked

COW_HEAD = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version"


def atop_text(shared, line_no=None, replace=None):
    lines = (shared / "atop5_1" / "atop5_1m.csv").read_text().splitlines()
    if line_no is not None:
        lines[line_no - 1] = replace(lines[line_no - 1])
    return "\n".join(lines) + "\n"


def set_field(i, value):
    def f(line):
        parts = line.split(",")
        parts[i] = value
        return ",".join(parts)
    return f


@pytest.mark.parametrize("line_no, edit, needle", [
    (1, lambda s: s.replace("member", "membr"),
     "atop5_1m.csv, line 1, column 4 (member): wrong header; expected 'member', found 'membr'"),
    (1, lambda s: s.replace("atopid,cowid", "cowid,atopid"),
     "line 1, column 1 (atopid): wrong header; expected 'atopid', found 'cowid'"),
    (10, set_field(3, "US"), "atop5_1m.csv, line 10, column 4 (member): expected an integer, found 'US'"),
    (11, set_field(3, "999"), "atop5_1m.csv, line 11, column 4 (member): expected a COW country code, found '999'"),
    (12, set_field(8, "1815"),
     "atop5_1m.csv, line 12, column yrexit: expected an exit date on or after the entry date"),
])
# An edited member file is no longer the release: the import warns so before it finds the error (tested in
# tests/faults/test_store_guards.py).
@pytest.mark.filterwarnings("ignore::pactnet.imports.releases.DatasetWarning")
def test_atop_bad_files(shared, tmp_path, line_no, edit, needle):
    p = tmp_path / "atop5_1m.csv"
    p.write_text(atop_text(shared, line_no, edit))
    with pytest.raises(DatasetError) as e:
        atop.read_members(p)
    assert needle in str(e.value)


def test_truncated_zip_and_store_untouched(shared, tmp_path):
    db = tmp_path / "s.duckdb"
    import_dataset("cow-states", shared / "state_systems" / "cow_states.csv", db=db)
    before = db.read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ATOP 5.1 (.csv)/atop5_1m.csv", (shared / "atop5_1" / "atop5_1m.csv").read_bytes())
    z = tmp_path / "atop_5.1__.csv_.zip"
    z.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    r = CliRunner().invoke(main, ["import", "atop", str(z), "--db", str(db)])
    assert r.exit_code == 2
    assert "atop_5.1__.csv_.zip: not a readable zip archive" in r.output
    assert db.read_bytes() == before
    bad = tmp_path / "cow_states.csv"
    bad.write_text(COW_HEAD + "\nUSA,2,United States,1816,1,1,2016,12,31,2016"
                              "\nCAN,20,Canada,1920,1,10,1919,12,31,2016\n")
    r = CliRunner().invoke(main, ["import", "cow-states", str(bad), "--db", str(db)])
    assert r.exit_code == 2
    assert r.output.strip() == ("Error: cow_states.csv, line 3, column end: expected an exit date on or after the "
                                "entry date, found '1919-12-31 before entry 1920-01-10'")
    assert db.read_bytes() == before


def test_reordered_and_nonnumeric_state_list(tmp_path):
    p = tmp_path / "states2016.csv"
    p.write_text("ccode,stateabb,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n")
    with pytest.raises(DatasetError, match="reordered header"):
        states.read_cow(p)
    p.write_text(COW_HEAD + "\nUSA,x2,United States,1816,1,1,2016,12,31,2016\n")
    with pytest.raises(DatasetError, match=r"line 2, column 2 \(ccode\): expected an integer, found 'x2'"):
        states.read_cow(p)


cell = st.text(alphabet=st.characters(blacklist_characters=',"\n\r', blacklist_categories=("Cs",)), max_size=6)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(-10**6, 10**6), cell), min_size=1, max_size=20), st.integers(0, 19))
def test_parser_round_trip_or_located_error(rows, bad_at):
    """Integers round-trip; a non-integer cell fails at exactly its line and column."""
    text = "a,b\n" + "".join(f"{n},{s}\n" for n, s in rows)
    src = SourceFile("t.csv", text.encode(), "t.csv")
    df = read_csv_checked(src, [Col("a"), Col("b", "str")])
    assert df["a"].to_list() == [n for n, _ in rows]
    assert df["source_row"].to_list() == list(range(1, len(rows) + 1))
    i = bad_at % len(rows)
    lines = text.split("\n")
    lines[i + 1] = "x" + lines[i + 1]
    with pytest.raises(DatasetError) as e:
        read_csv_checked(SourceFile("t.csv", "\n".join(lines).encode(), "t.csv"), [Col("a"), Col("b", "str")])
    assert f"t.csv, line {i + 2}, column 1 (a): expected an integer" in str(e.value)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=4, unique=True))
def test_header_must_hold_columns_in_order(header):
    src = SourceFile("h.csv", (",".join(header) + "\n" + ",".join("1" for _ in header) + "\n").encode(), "h.csv")
    cols = [Col("a"), Col("b")]
    ok = "a" in header and "b" in header and header.index("a") < header.index("b")
    if ok:
        assert read_csv_checked(src, cols).height == 1
    else:
        with pytest.raises(DatasetError, match="line 1"):
            read_csv_checked(src, cols)


def test_file_cut_off_mid_row_and_header_only(shared, tmp_path):
    """A member file truncated inside a row, or holding only its header, is refused with its line."""
    db = tmp_path / "s.duckdb"
    import_dataset("cow-states", shared / "state_systems" / "cow_states.csv", db=db)
    before = db.read_bytes()
    full = (shared / "atop5_1" / "atop5_1m.csv").read_bytes()
    cut = tmp_path / "cut" / "atop5_1m.csv"
    cut.parent.mkdir()
    cut.write_bytes(full[:3000])
    r = CliRunner().invoke(main, ["import", "atop", str(cut), "--db", str(db)])
    last = full[:3000].decode().count("\n") + 1
    assert r.exit_code == 2
    assert r.output.strip() == (f"Error: atop5_1m.csv, line {last}: wrong number of fields; expected 105 fields "
                                f"as in the header, found '81 fields'")
    head = tmp_path / "head" / "atop5_1m.csv"
    head.parent.mkdir()
    head.write_bytes(full.split(b"\n", 1)[0] + b"\n")
    r = CliRunner().invoke(main, ["import", "atop", str(head), "--db", str(db)])
    assert r.exit_code == 2
    assert "atop5_1m.csv, line 2: no data rows" in r.output
    assert db.read_bytes() == before
