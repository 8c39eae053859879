"""``pactnet fetch`` against a local file server on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from click.testing import CliRunner

from pactnet.cli import main


@pytest.fixture()
def server(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_checks_and_imports(shared, server, tmp_path):
    import zipfile

    from pactnet.store import Store

    root, base = server
    with zipfile.ZipFile(root / "atop_5.1__.csv_.zip", "w") as zf:
        zf.write(shared / "atop5_1" / "atop5_1m.csv", "ATOP 5.1 (.csv)/atop5_1m.csv")
    db = tmp_path / "s.duckdb"
    r = CliRunner().invoke(main, ["fetch", "atop", "--base-url", base, "--db", str(db), "--dest", str(tmp_path / "dl")])
    assert r.exit_code == 0, r.output
    assert Store(db).table("atop_dyad_years").height == 273_296


def test_fetch_rejects_html_and_missing(server, tmp_path):
    root, base = server
    (root / "states2016.csv").write_text("<html>moved</html>")
    r = CliRunner().invoke(main, ["fetch", "cow-states", "--base-url", base, "--db", str(tmp_path / "s.duckdb"),
                                       "--dest", str(tmp_path / "dl")])
    assert r.exit_code == 2 and "found an HTML page" in r.output
    r = CliRunner().invoke(main, ["fetch", "dcad", "--base-url", base, "--db", str(tmp_path / "s.duckdb"),
                                       "--dest", str(tmp_path / "dl")])
    assert r.exit_code == 2 and "download failed" in r.output


def _serve(root, name, data):
    (root / name).write_bytes(data)
    return data


def test_progress_callback_counts_up_to_the_file_size(server, tmp_path):
    import os

    from pactnet.imports.fetch import fetch

    root, base = server
    data = _serve(root, "states2016.csv", b"stateabb,ccode\n" + os.urandom(300_000).hex().encode())
    calls = []
    path = fetch("cow-states", base_url=base, dest=tmp_path / "dl", progress=lambda d, t: calls.append((d, t)))
    assert path.read_bytes() == data
    done = [d for d, _ in calls]
    assert len(calls) > 2 and done[0] == 0 and done[-1] == len(data)
    assert all(a <= b for a, b in zip(done, done[1:], strict=False))
    assert {t for _, t in calls} == {len(data)}  # Content-Length, announced from the first call on


def test_fetch_nmc_extracts_the_csv_from_the_inner_zip(shared, server, tmp_path):
    import gzip
    import io
    import zipfile

    from pactnet.imports.fetch import fetch
    from pactnet.store import Store

    root, base = server
    csv = gzip.decompress((shared / "covariates" / "cow_nmc_v7.csv.gz").read_bytes())
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("NMC-70-abridged.csv", csv)
    supplement = io.BytesIO()
    with zipfile.ZipFile(supplement, "w") as zf:
        zf.writestr("NMC-70-wsupplementary.csv", b"not,the,file\n")
    # The layout of the official NMCv7.zip: the data files are zips inside the zip.
    with zipfile.ZipFile(root / "NMCv7.zip", "w") as zf:
        zf.writestr("NMCv7/NMC-v7-supplemental.zip", supplement.getvalue())
        zf.writestr("__MACOSX/NMCv7/._NMC-v7-abridged.zip", b"x")
        zf.writestr("NMCv7/NMC-v7-abridged.zip", inner.getvalue())
    path = fetch("nmc", base_url=base, dest=tmp_path / "dl")
    assert path.name == "NMC-70-abridged.csv" and path.read_bytes() == csv
    db = tmp_path / "s.duckdb"
    r = CliRunner().invoke(main, ["fetch", "nmc", "--base-url", base, "--db", str(db), "--dest", str(tmp_path / "dl")])
    assert r.exit_code == 0, r.output
    assert "nmc (version 7.0) from NMC-70-abridged.csv" in r.output
    assert Store(db).table("nmc_capabilities").height == 17_121


def test_fetch_nmc_without_inner_zip_is_one_line(server, tmp_path):
    import zipfile

    root, base = server
    with zipfile.ZipFile(root / "NMCv7.zip", "w") as zf:
        zf.writestr("NMCv7/NMC_Codebook_7.0.pdf", b"%PDF")
    r = CliRunner().invoke(main, ["fetch", "nmc", "--base-url", base, "--db", str(tmp_path / "s.duckdb"),
                                       "--dest", str(tmp_path / "dl")])
    assert r.exit_code == 2 and "no inner archive matching NMC*abridged*.zip" in r.output
    assert "Traceback" not in r.output and len([x for x in r.output.splitlines() if "Error" in x]) == 1


def test_fetch_gw_downloads_both_lists(server, tmp_path):
    from pactnet.store import Store

    root, base = server
    _serve(root, "iisystem.dat", b"2\tUSA\tUnited States of America\t01:01:1816\t31:12:2017\n"
                                 b"260\tGFR\tGerman Federal Republic\t21:09:1949\t31:12:2017\n")
    _serve(root, "microstatessystem.dat", b"221\tMNC\tMonaco\t01:01:1816\t31:12:2017\n")
    db = tmp_path / "s.duckdb"
    r = CliRunner().invoke(main, ["fetch", "gw-states", "--base-url", base, "--db", str(db),
                                       "--dest", str(tmp_path / "dl")])
    assert r.exit_code == 0, r.output
    assert "iisystem.dat, microstatessystem.dat" in r.output
    assert sorted(Store(db).table("gw_states")["code"].to_list()) == [2, 221, 260]
    (root / "microstatessystem.dat").unlink()
    r = CliRunner().invoke(main, ["fetch", "gw-states", "--base-url", base, "--db", str(db),
                                       "--dest", str(tmp_path / "dl2")])
    assert r.exit_code == 2 and "microstatessystem.dat: download failed" in r.output
    assert not list((tmp_path / "dl2" / "gw-states").glob("*.part"))


def test_fetch_truncated_transfer_is_one_line(tmp_path):
    import http.server
    import threading

    class Short(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"stateabb,ccode\n")  # then the connection closes

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Short)
    t = threading.Thread(target=httpd.handle_request, daemon=True)
    t.start()
    try:
        r = CliRunner().invoke(main, ["fetch", "cow-states", "--base-url", f"http://127.0.0.1:{httpd.server_address[1]}",
                                           "--db", str(tmp_path / "s.duckdb"), "--dest", str(tmp_path / "dl")])
    finally:
        t.join(5)
        httpd.server_close()
    assert r.exit_code == 2 and "download failed" in r.output, r.output
    assert not list((tmp_path / "dl").glob("*.part"))


def test_fetch_bad_input_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for args, needle in [
        (["rivalries"], "has no official download address"),
        (["cow-states", "--base-url", "not a url"], "not a valid download address"),
        (["cow-states", "--base-url", "http://127.0.0.1:9", "--dest", str(blocker / "sub")],
         "cannot create the download folder"),
    ]:
        r = CliRunner(env={"PACTNET_FETCH_BASE": None}).invoke(
            main, ["fetch", *args, "--db", str(tmp_path / "s.duckdb")])
        assert r.exit_code == 2 and needle in r.output, (args, r.output)
        assert r.output.startswith("Error: ") and r.output.count("\n") == 1


def test_bugs_keep_their_traceback(monkeypatch, server, tmp_path):
    import pactnet.imports

    root, base = server
    _serve(root, "states2016.csv", b"stateabb,ccode\n")

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pactnet.imports, "import_dataset", broken)
    r = CliRunner().invoke(main, ["fetch", "cow-states", "--base-url", base, "--db", str(tmp_path / "s.duckdb"),
                                       "--dest", str(tmp_path / "dl")])
    assert r.exit_code == 1 and isinstance(r.exception, RuntimeError)
