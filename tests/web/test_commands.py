"""``pactnet report``, ``pactnet figure`` and ``pactnet serve`` as commands."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from pactnet.cli import main


def _store(store) -> list[str]:
    return ["--db", str(store.path), "--kb", str(store.kb_dir)]


def test_report_is_one_self_contained_file(tiny_store, tmp_path):
    out = tmp_path / "report.html"
    r = CliRunner().invoke(main, ["report", "--out", str(out), *_store(tiny_store)])
    assert r.exit_code == 0, r.output
    html = out.read_text()
    # nothing to fetch: no external scripts, styles, images or frames
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', html)
    assert "window.PlotlyGeoAssets" in html and "plotly.js v" in html
    for section in ("portfolio", "drivers", "network", "map", "changes", "halfway", "indicators",
                    "disagreements", "sources"):
        assert f'<section id="{section}">' in html
    assert "[briefing L3]" in html and "usa-pak-base" in html
    assert html.count('class="plotly-graph-div"') >= 6


def test_report_refuses_a_wrong_suffix_and_unknown_patron(tiny_store, tmp_path):
    r = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "r.txt"), *_store(tiny_store)])
    assert r.exit_code == 2 and "expected a .html file name" in r.output
    r = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "r.html"), "--patron", "XXX",
                                  *_store(tiny_store)])
    assert r.exit_code == 2 and "patron" in r.output


def test_figure_refuses_bad_options(tiny_store, tmp_path):
    r = CliRunner().invoke(main, ["figure", "map", "--out", str(tmp_path / "m.gif"), *_store(tiny_store)])
    assert r.exit_code == 2 and ".png, .svg or .pdf" in r.output
    r = CliRunner().invoke(main, ["figure", "network", "--at", "soon", "--out", str(tmp_path / "n.png")])
    assert r.exit_code == 2 and "not a date" in r.output


@pytest.mark.browser
def test_figure_writes_png_and_svg(tiny_store, tmp_path, chromium):
    from pactnet.viz import figures, views
    from pactnet.viz.export import write_figures

    out = tmp_path / "map.png"
    r = CliRunner().invoke(main, ["figure", "map", "--out", str(out), "--at", "2023", *_store(tiny_store)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000
    # several figures share one browser
    svg, png = tmp_path / "net.svg", tmp_path / "p.png"
    write_figures([(figures.network_figure(views.network_view("2023", db=tiny_store)), svg),
                   (figures.portfolio_figure(views.portfolio_view("USA", 1990, 2023, db=tiny_store)), png)])
    assert b"<svg" in svg.read_bytes()[:500] and b"FIN" in svg.read_bytes()
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_serve_help_says_it_binds_to_loopback():
    r = CliRunner().invoke(main, ["serve", "--help"])
    assert r.exit_code == 0 and "127.0.0.1" in r.output
