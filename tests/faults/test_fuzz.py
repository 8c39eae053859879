"""Property-based tests: arbitrary bytes and structured junk fed to every parser end in a valid result or a
clean :class:`~pactnet.errors.PactnetError` (or, for the click parameter types, a usage error), never another
exception. A knowledge base that validates always builds."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import click
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pactnet.errors import PactnetError, ValidationError
from pactnet.files import decode_text, gunzip_limited
from tests.conftest import TINY, write_kb
from tests.faults.conftest import COW_HEAD, COW_ROWS

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

junk_bytes = st.one_of(
    st.binary(max_size=400),
    st.lists(st.sampled_from([b",", b"\n", b"\r", b'"', b"1", b"x", b"\xe9", b"\xff", b"\0", b"2016", b" ", b"-"]),
             max_size=120).map(b"".join),
)


def cow_like() -> st.SearchStrategy[bytes]:
    """A COW state list with some cells replaced by junk, rows cut or repeated."""
    cell = st.one_of(st.sampled_from(["", "x", "-1", "0", "13", "1e9", "2.5", '"', "NA", "\u00e9", "2016-01-01"]),
                     st.text(max_size=8))
    row = st.lists(cell, min_size=0, max_size=12).map(",".join)
    rows = st.lists(st.one_of(st.sampled_from(COW_ROWS), row), max_size=6)
    return st.tuples(rows, st.sampled_from(["\n", "\r\n", "\r"])).map(
        lambda t: t[1].join([COW_HEAD, *t[0]]).encode("utf-8", "surrogatepass"))


@FUZZ
@given(junk_bytes)
def test_decode_text(data: bytes) -> None:
    try:
        text = decode_text(data, name="f.csv")
    except PactnetError as exc:
        assert str(exc).startswith("f.csv")
    else:
        assert "\r" not in text


@FUZZ
@given(junk_bytes)
def test_gunzip(data: bytes) -> None:
    for blob in (data, gzip.compress(data)[: len(data) // 2 + 10]):
        try:
            gunzip_limited(blob, name="f.gz", limit=10_000)
        except PactnetError:
            pass


@pytest.mark.filterwarnings("ignore::pactnet.imports.releases.DatasetWarning")
@FUZZ
@given(st.one_of(junk_bytes, cow_like()), st.sampled_from(["file", "zip", "gz"]))
def test_importers(tmp_path: Path, data: bytes, wrap: str) -> None:
    from pactnet.imports import read_dataset

    if wrap == "zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("cow_states.csv", data)
        path, raw = tmp_path / "s.zip", buf.getvalue()
    elif wrap == "gz":
        path, raw = tmp_path / "cow_nmc.csv.gz", gzip.compress(data)
    else:
        path, raw = tmp_path / "cow_states.csv", data
    path.write_bytes(raw)
    for name in ("cow-states", "gw-states", "atop", "nmc", "contiguity", "rivalries", "dcad", "cow-alliances"):
        try:
            read_dataset(name, path)
        except PactnetError as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 1000


@FUZZ
@given(st.one_of(st.binary(max_size=300),
                 st.lists(st.sampled_from(["a:", " ", "-", "[", "]", "{", "}", "&x", "*x", "\n", "'", '"', "\t",
                                           "ties", "id", ":", "!!python/object", "%YAML 1.1", "---", "..."]),
                          max_size=60).map(lambda parts: "".join(parts).encode())))
def test_load_yaml(tmp_path: Path, data: bytes) -> None:
    from pactnet.kb.yamlio import load_yaml

    p = tmp_path / "x.yaml"
    p.write_bytes(data)
    try:
        load_yaml(p)
    except ValidationError as exc:
        assert str(exc).startswith(str(p)) and "\n" not in str(exc)


scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 1000), st.floats(allow_nan=False, width=32),
                    st.text(max_size=6), st.sampled_from(["USA", "FIN", "NATO", "2020", "2020-05", "briefing@L7",
                                                          "guarantee", "alliance_membership", "open"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                      max_leaves=8)
FIELDS = ["id", "name", "kind", "ccode", "iso3", "region", "source", "target", "level", "start", "end", "note",
          "sources", "phases", "briefing", "views", "drivers", "contents", "flows", "date", "actors", "ties",
          "description", "citation", "locators", "members", "aliases", "status", "vital", "directed", "via"]


@st.composite
def junk_kb(draw) -> dict[str, str]:
    """The tiny knowledge base with one record's fields replaced by junk of any type, or a junk record added."""
    files = {k: yaml.safe_load(__import__("textwrap").dedent(v)) for k, v in TINY.items()}
    name = draw(st.sampled_from(sorted(files)))
    top = next(iter(files[name]))
    records = files[name][top]
    if draw(st.booleans()) and records:
        rec = records[draw(st.integers(0, len(records) - 1))]
        for _ in range(draw(st.integers(1, 3))):
            rec[draw(st.sampled_from(FIELDS))] = draw(values)
    else:
        records.append(draw(st.dictionaries(st.sampled_from(FIELDS), values, max_size=6)))
    return {k: yaml.safe_dump(v, allow_unicode=True) for k, v in files.items()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk_kb())
def test_what_validates_builds(tmp_path_factory: pytest.TempPathFactory, files: dict[str, str]) -> None:
    from pactnet.kb import load_kb
    from pactnet.store import Store

    root = write_kb(tmp_path_factory.mktemp("kb"), files)
    try:
        load_kb(root)
    except ValidationError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 1000
        return
    store = Store(tmp_path_factory.mktemp("db") / "p.duckdb", root)
    store.build()
    from pactnet import network

    network.ties(db=store)
    network.events(db=store)
    network.actors(db=store)


@FUZZ
@given(st.one_of(st.text(max_size=20), st.integers()))
def test_parameter_types(value) -> None:
    from pactnet.cli.params import ACTOR, DATE, POSITIVE, SEED, YEAR, Bloc, CommaList, Setting

    for t in (DATE, YEAR, ACTOR, POSITIVE, SEED, Setting(), Bloc(), CommaList(("a", "b"))):
        try:
            t.convert(value, None, None)
        except click.BadParameter:
            pass


@FUZZ
@given(junk_bytes)
@example(b"\0\1garbage\xff")
def test_landscape_readers(tmp_path: Path, data: bytes) -> None:
    from pactnet.landscape.data import read_landscape_json, read_propensity_csv, read_sizes_csv

    for name, reader in (("P.csv", read_propensity_csv), ("S.csv", read_sizes_csv), ("L.json", read_landscape_json)):
        p = tmp_path / name
        p.write_bytes(data)
        try:
            reader(p)
        except PactnetError:
            pass


@FUZZ
@given(junk_bytes)
@example(b"")
def test_panel_false_dyads(tmp_path: Path, data: bytes) -> None:
    from pactnet.panel.sources import _read_pairs

    p = tmp_path / "false_dyads.csv"
    p.write_bytes(data)
    try:
        _read_pairs(str(p))
    except PactnetError:
        pass
