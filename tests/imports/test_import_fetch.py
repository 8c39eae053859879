"""``pactnet fetch`` against a local file server on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from click.testing import CliRunner

from pactnet.imports.commands import fetch as fetch_cmd


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
    r = CliRunner().invoke(fetch_cmd, ["atop", "--base-url", base, "--db", str(db), "--dest", str(tmp_path / "dl")])
    assert r.exit_code == 0, r.output
    assert Store(db).table("atop_dyad_years").height == 273_296


def test_fetch_rejects_html_and_missing(server, tmp_path):
    root, base = server
    (root / "states2016.csv").write_text("<html>moved</html>")
    r = CliRunner().invoke(fetch_cmd, ["cow-states", "--base-url", base, "--db", str(tmp_path / "s.duckdb"),
                                       "--dest", str(tmp_path / "dl")])
    assert r.exit_code == 2 and "found an HTML page" in r.output
    r = CliRunner().invoke(fetch_cmd, ["dcad", "--base-url", base, "--db", str(tmp_path / "s.duckdb"),
                                       "--dest", str(tmp_path / "dl")])
    assert r.exit_code == 2 and "download failed" in r.output
