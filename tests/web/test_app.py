"""The dashboard over HTTP (Starlette's test client): JSON twins, 400s for bad parameters, escaping, the fixed
static table, and the optional views that light up when their data exists."""

from __future__ import annotations

import sys
import types

import pytest

from tests.conftest import TINY, write_kb

JSON_PAGES = ["/api/meta", "/api/network", "/api/map", "/api/portfolio", "/api/changes", "/api/actors",
              "/api/actor/FIN", "/api/source/treaty", "/api/indicators", "/api/landscape", "/api/simulation"]
HTML_PAGES = ["/", "/network", "/map", "/portfolio", "/changes", "/actors", "/actor/FIN", "/source/treaty",
              "/indicators", "/landscape", "/simulation"]


@pytest.mark.parametrize("url", JSON_PAGES)
def test_every_json_endpoint_answers(tiny_client, url):
    r = tiny_client.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()


@pytest.mark.parametrize("url", HTML_PAGES)
def test_every_page_answers_with_its_security_headers(tiny_client, url):
    r = tiny_client.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "http://" not in r.text.replace("http://www.w3.org", "") or url.startswith("/source")
    assert "<script src=\"http" not in r.text and "cdn" not in r.text.lower()


def test_network_json_follows_the_date(tiny_client):
    def level(at):
        pairs = tiny_client.get("/api/network", params={"at": at}).json()["pairs"]
        return next(p["level"] for p in pairs if p["pair"] == "FIN-USA")

    assert [level(d) for d in ("2022-12-31", "2023-04-03", "2023-04-04")] == ["assurance", "assurance", "guarantee"]
    body = tiny_client.get("/api/network", params={"at": "2023"}).json()
    assert body["figure"]["data"] and body["at"] == "2023"


def test_the_network_page_embeds_its_first_answer(tiny_client):
    """The page carries the JSON of its first draw (no second request), with '<' escaped inside the script."""
    page = tiny_client.get("/network", params={"at": "2023-04-04"}).text
    start = page.index('<script type="application/json" id="initial-data">')
    embedded = page[start:page.index("</script>", start)]
    assert "<" not in embedded[1:]
    assert '"pair": "FIN-USA"' in embedded


BAD = [
    ("/api/network", {"at": "2022-13-01"}, "at"),
    ("/api/network", {"at": "1800"}, "at"),
    ("/api/network", {"at": "9999"}, "at"),
    ("/api/network", {"at": "yesterday"}, "at"),
    ("/api/network", {"at": "2021-02-30"}, "at"),
    ("/api/network", {"patron": "XXX"}, "patron"),
    ("/api/network", {"patron": "../../etc/passwd"}, "patron"),
    ("/api/network", {"level": "strong"}, "level"),
    ("/api/network", {"driver": "fear"}, "driver"),
    ("/api/network", {"region": "atlantis"}, "region"),
    ("/api/network", {"view": "mine"}, "view"),
    ("/api/network", {"via": "maybe"}, "via"),
    ("/api/network", {"colour": "red"}, "colour"),
    ("/api/map", {"at": "20x"}, "at"),
    ("/api/map", {"patron": "NOPE"}, "patron"),
    ("/api/portfolio", {"by": "mood"}, "by"),
    ("/api/portfolio", {"start": "1800"}, "start"),
    ("/api/portfolio", {"start": "2010", "end": "2000"}, "end"),
    ("/api/portfolio", {"end": "twenty"}, "end"),
    ("/api/changes", {"start": "abc"}, "start"),
    ("/api/changes", {"patron": "<script>"}, "patron"),
    ("/api/indicators", {"actors": "FIN,XXX"}, "actors"),
    ("/api/indicators", {"indicator": "../../x"}, "indicator"),
    ("/api/landscape", {"at": "2021-99"}, "at"),
    ("/api/landscape", {"actors": "USA,USA"}, "actors"),
    ("/api/simulation", {"ensemble": "../../etc/passwd"}, "ensemble"),
    ("/api/simulation", {"ensemble": "/etc/passwd"}, "ensemble"),
    ("/api/meta", {"x": "1"}, "x"),
    ("/api/actor/XXX", {}, "actor"),
    ("/api/actor/FIN", {"view": "record"}, "view"),
    ("/api/source/nope", {}, "source"),
    ("/api/source/a%20b", {}, "source"),
]


@pytest.mark.parametrize(("url", "params", "word"), BAD)
def test_bad_parameters_get_400_with_a_message(tiny_client, url, params, word):
    r = tiny_client.get(url, params=params)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["ok"] is False and body["status"] == 400
    assert word in body["error"]
    assert "Traceback" not in r.text


@pytest.mark.parametrize(("url", "params"), [("/network", {"at": "<script>alert(1)</script>"}),
                                             ("/map", {"patron": "\"><img src=x onerror=alert(1)>"}),
                                             ("/actor/<b>x", {}), ("/portfolio", {"by": "<i>"})])
def test_html_pages_answer_400_with_the_message_escaped(tiny_client, url, params):
    r = tiny_client.get(url, params=params)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/html")
    assert "<script>alert" not in r.text and "<img src=x" not in r.text and "<b>x" not in r.text
    assert "&lt;" in r.text


def test_unknown_paths_are_404_not_files(tiny_client):
    for url in ("/static/../../etc/passwd", "/static/..%2f..%2fetc%2fpasswd", "/static/world_110m.json",
                "/static/pactnet.duckdb", "/etc/passwd", "/api/nothing"):
        r = tiny_client.get(url)
        assert r.status_code == 404, url
        assert "root:" not in r.text


def test_static_files_come_from_the_fixed_table(tiny_client):
    js = tiny_client.get("/static/plotly.min.js")
    assert js.status_code == 200 and "plotly.js" in js.text[:300]
    version = js.text[:300].split("plotly.js v")[1].split()[0]
    for bundle in ("plotly-cartesian.min.js", "plotly-geo.min.js"):  # the same release as the full bundle
        head = tiny_client.get(f"/static/{bundle}").text[:300]
        assert f"v{version}" in head, (bundle, head)
    topo = tiny_client.get("/static/topojson/world_110m.json").json()
    ids = {g.get("id") for g in topo["objects"]["countries"]["geometries"]}
    assert {"USA", "FIN", "PAK", "UKR"} <= ids
    assert set(topo["objects"]) >= {"countries", "land", "coastlines"}


def _hostile_kb(tmp_path):
    files = dict(TINY)
    files["actors.yaml"] = files["actors.yaml"].replace(
        "name: Finland", "name: \"Finland <script>alert('x')</script>\"")
    files["sources.yaml"] = files["sources.yaml"].replace(
        'citation: "A treaty"', 'citation: "A <img src=x onerror=alert(1)> treaty"')
    return write_kb(tmp_path / "hostile", files)


def test_text_from_the_data_is_escaped(tmp_path):
    from starlette.testclient import TestClient

    from pactnet.store import Store
    from pactnet.web import create_app

    store = Store(tmp_path / "h.duckdb", _hostile_kb(tmp_path))
    store.build()
    with TestClient(create_app(store)) as c:
        for url in ("/actor/FIN", "/actors", "/source/treaty", "/actor/USA", "/network", "/map"):
            r = c.get(url)
            assert r.status_code == 200, url
            assert "<script>alert" not in r.text and "<img src=x" not in r.text, url
        assert "Finland &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in c.get("/actor/FIN").text
        # in JSON the text stays as it is; the page's script inserts it with textContent
        assert c.get("/api/actor/FIN").json()["actor"]["name"] == "Finland <script>alert('x')</script>"


def test_source_addresses_are_links_only_when_http(tiny_client):
    page = tiny_client.get("/source/treaty").text
    assert 'class="address" href="https://example.org/treaty" rel="noopener noreferrer"' in page
    assert "no address" in tiny_client.get("/source/briefing").text


# ------------------------------------------------------------------------------------- optional views


def test_optional_views_explain_what_is_missing(tiny_client):
    for url, words in (("/api/indicators", "pactnet.indicators"), ("/api/landscape", "import nmc"),
                       ("/api/simulation", "--sim-dir")):
        body = tiny_client.get(url).json()
        assert body["available"] is False and words in body["reason"], body


def test_simulation_view_lights_up_with_an_ensemble(tiny_store, tmp_path):
    pl = pytest.importorskip("polars")
    from starlette.testclient import TestClient

    from pactnet.web import create_app

    rows = [{"replica": r, "year": y, "level": lv, "ties": r + (y - 2020) + (5 if lv == "guarantee" else 0)}
            for r in range(11) for y in (2020, 2021, 2022) for lv in ("guarantee", "ad_hoc")]
    pl.DataFrame(rows).write_parquet(tmp_path / "contraction.parquet")
    pl.DataFrame({"replica": [0], "year": [2020], "guarantee": [3]}).write_parquet(tmp_path / "wide.parquet")
    pl.DataFrame({"a": [1]}).write_parquet(tmp_path / "odd.parquet")
    (tmp_path / "notes.txt").write_text("not an ensemble")
    with TestClient(create_app(tiny_store, sim_dir=tmp_path)) as c:
        assert c.get("/api/meta").json()["ensembles"] == ["contraction", "odd", "wide"]
        body = c.get("/api/simulation", params={"ensemble": "contraction"}).json()
        assert body["available"] and body["replicas"] == 11 and body["years"] == [2020, 2021, 2022]
        assert body["levels"]["guarantee"]["q50"] == [10.0, 11.0, 12.0]
        assert body["levels"]["ad_hoc"]["q05"] == [0.5, 1.5, 2.5]
        assert body["figure"]["data"]
        assert c.get("/api/simulation", params={"ensemble": "wide"}).json()["levels"]["guarantee"]["q50"] == [3.0]
        odd = c.get("/api/simulation", params={"ensemble": "odd"}).json()
        assert odd["available"] is False and "replica, year" in odd["reason"]
        r = c.get("/api/simulation", params={"ensemble": "notes"})
        assert r.status_code == 400 and "contraction" in r.json()["error"]


def test_indicators_view_lights_up_when_the_package_exists(tiny_client, monkeypatch):
    import importlib.machinery

    pl = pytest.importorskip("polars")
    fake = types.ModuleType("pactnet.indicators")
    fake.__spec__ = importlib.machinery.ModuleSpec("pactnet.indicators", None)
    calls = []

    def compute(patron, start, end, db=None):
        calls.append((patron, start, end))
        return pl.DataFrame({"patron": ["USA"] * 4, "actor": ["PAK", "PAK", "FIN", "FIN"],
                             "date": ["2020-12-31", "2021-12-31"] * 2, "hedging": [0.2, 0.4, 0.1, 0.0],
                             "exit_ease": [0.5, 0.6, 0.1, 0.1]})

    fake.compute = compute
    monkeypatch.setitem(sys.modules, "pactnet.indicators", fake)
    body = tiny_client.get("/api/indicators", params={"indicator": "exit_ease", "actors": "PAK"}).json()
    assert body["available"] and calls[0][0] == "USA"
    assert body["indicators"] == ["exit_ease", "hedging"]
    assert body["series"] == {"PAK": [["2020-12-31", 0.5], ["2021-12-31", 0.6]]}
    top = tiny_client.get("/api/indicators", params={"indicator": "hedging"}).json()
    assert list(top["series"]) == ["PAK", "FIN"]  # highest latest value first
    r = tiny_client.get("/api/indicators", params={"indicator": "charm"})
    assert r.status_code == 400 and "exit_ease" in r.json()["error"]


def test_landscape_view_lights_up_with_capabilities(tiny_store):
    pytest.importorskip("numpy")
    from starlette.testclient import TestClient

    from pactnet.web import create_app

    con = __import__("duckdb").connect(str(tiny_store.path))
    con.execute("CREATE TABLE nmc_capabilities AS SELECT * FROM (VALUES (2, 2020, 0.14), (375, 2020, 0.002), "
                "(770, 2020, 0.02)) t(ccode, year, cinc)")
    con.close()
    with TestClient(create_app(tiny_store)) as c:
        r = c.get("/api/landscape", params={"at": "2021-12-31", "actors": "USA,FIN,PAK"})
        body = r.json()
        assert r.status_code == 200, body
        if body["available"] is False:  # the models extra (numba) is missing
            assert "models" in body["reason"]
            return
        assert body["labels"] == ["USA", "FIN", "PAK"]
        assert body["minima"] and sorted(a for side in body["minima"][0]["sides"] for a in side) == \
            ["FIN", "PAK", "USA"]
        assert c.get("/api/landscape", params={"actors": ",".join(["USA"] * 20)}).status_code == 400


def test_actor_page_draws_its_timeline(tiny_client):
    page = tiny_client.get("/actor/PAK").text
    ties = tiny_client.get("/api/actor/PAK").json()["timeline"]
    assert page.count('<g class="tie"') == sum(1 for t in ties if t["type"] == "tie")
    base = page[page.index('<g class="tie" data-id="usa-pak-base">'):]
    assert 'fill-opacity="0.45"' in base[:base.index("</g>")]  # the briefing dates it differently
    assert "The briefing differs" in page and "2008-01-01" in page


def test_simulation_view_reads_pactnet_sim_ensembles(tiny_store, tmp_path):
    """The layout `pactnet sim run` writes: n_<k> counts per replica and year, level names in the metadata."""
    import json

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from starlette.testclient import TestClient

    from pactnet.web import create_app

    levels = ["none", "transactional", "ad_hoc", "structured", "assurance", "guarantee"]
    replicas, years = [0, 0, 1, 1, 2, 2], [2000, 2001] * 3
    table = pa.table({"replica": replicas, "year": years, "batch": [0] * 6,
                      **{f"n_{k}": [k + r for r in replicas] for k in range(1, 6)}})
    table = table.replace_schema_metadata({b"pactnet": json.dumps({"levels": levels}).encode()})
    pq.write_table(table, tmp_path / "historical-2000.parquet")
    with TestClient(create_app(tiny_store, sim_dir=tmp_path)) as c:
        body = c.get("/api/simulation").json()
    assert body["available"] and body["name"] == "historical-2000" and body["replicas"] == 3
    assert body["levels"]["guarantee"]["q50"] == [6.0, 6.0]  # n_5 = 5 + replica, median replica 1
    assert body["levels"]["transactional"]["q05"] == [1.1, 1.1]
    assert "none" not in body["levels"]


def test_simulation_view_shows_a_real_ensemble(kb_store, tmp_path):
    """An ensemble written by `pactnet sim run` itself lights the view up."""
    pytest.importorskip("pactnet.sim")
    from click.testing import CliRunner
    from starlette.testclient import TestClient

    from pactnet.cli import main
    from pactnet.web import create_app

    out = tmp_path / "historical-2000.parquet"
    r = CliRunner().invoke(main, ["sim", "run", "historical-2000", "--replicas", "8", "--seed", "3", "--out",
                                  str(out), "--db", str(kb_store.path)])
    assert r.exit_code == 0, r.output
    with TestClient(create_app(kb_store, sim_dir=tmp_path)) as c:
        body = c.get("/api/simulation", params={"ensemble": "historical-2000"}).json()
    assert body["available"] and body["replicas"] == 8
    assert body["years"][0] == 2000 and body["years"][-1] == 2024
    g = body["levels"]["guarantee"]
    assert all(lo <= mid <= hi for lo, mid, hi in zip(g["q05"], g["q50"], g["q95"], strict=True))
    assert g["q50"][0] > 20  # the US held dozens of guarantees in 2000
