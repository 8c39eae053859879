"""Screenshots of each dashboard view and of the report, for the README (docs/figures/dashboard-*.png).

    PYTHONPATH=src python docs/screenshots.py [--nmc PATH/cow_nmc_v7.csv.gz]

Builds a fresh store from the shipped knowledge base; with --nmc (COW national material capabilities) it imports
them so that the landscape view has data; runs a small ensemble of the historical-2000 scenario (200 replicas) for
the simulation view when pactnet.sim is there; the indicators view shows what it shows without its data. Runs the
dashboard on 127.0.0.1 and a guarded headless Chromium; no request leaves the machine.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "figures"
VIEWS = [
    ("network", "/network?at=2023", "#chart .scatterlayer"),
    ("map", "/map?at=2022", "path.choroplethlocation"),
    ("portfolio", "/portfolio", "#chart .scatterlayer"),
    ("changes", "/changes", "#chart .barlayer"),
    ("actor", "/actor/FIN", "table.timeline"),
    ("indicators", "/indicators", "#empty"),
    ("landscape", "/landscape?at=2022-12-31&actors=USA,CHN,IDN,MYS,PHL,SGP,THA,VNM", None),
    ("simulation", "/simulation", None),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nmc", default=None, help="COW NMC file to import for the landscape view")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    from pactnet.store import Store
    from pactnet.viz.html_report import write_report
    from pactnet.web import create_app
    from pactnet.web.browser import guarded_browser, running_server, watch_requests

    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "shots.duckdb")
        store.build()
        if args.nmc:
            from click.testing import CliRunner

            from pactnet.cli import main as cli

            r = CliRunner().invoke(cli, ["import", "nmc", args.nmc, "--db", str(store.path)])
            if r.exit_code:
                raise SystemExit(r.output)
        report = write_report(Path(tmp) / "report.html", db=store)
        sims = Path(tmp) / "sims"
        sims.mkdir()
        try:
            from click.testing import CliRunner

            from pactnet.cli import main as cli

            CliRunner().invoke(cli, ["sim", "run", "historical-2000", "--replicas", "200", "--seed", "1", "--out",
                                     str(sims / "historical-2000.parquet"), "--db", str(store.path)])
        except ImportError:
            pass
        app = create_app(store, sim_dir=sims)
        with running_server(app) as base, sync_playwright() as p, guarded_browser(p) as browser:
            ctx = browser.new_context(viewport={"width": 1280, "height": 860})
            outside = watch_requests(ctx, base)
            page = ctx.new_page()
            for name, path, selector in VIEWS:
                page.goto(base + path)
                if selector in ("#empty", None) or selector.startswith("#chart") or selector.startswith("path"):
                    page.wait_for_function("() => ['ready', 'empty', 'error'].includes(document.body.dataset.state)",
                                           timeout=60_000)
                if selector:
                    page.wait_for_selector(selector, state="attached")
                page.wait_for_timeout(300)
                page.screenshot(path=str(OUT / f"dashboard-{name}.png"))
                print(OUT / f"dashboard-{name}.png")
            ctx.close()
            ctx = browser.new_context(viewport={"width": 1280, "height": 860})
            outside += watch_requests(ctx, report.as_uri())  # the report file and nothing else
            page = ctx.new_page()
            page.goto(report.as_uri())
            page.wait_for_selector(".plotly-graph-div .main-svg")
            page.wait_for_timeout(500)
            page.screenshot(path=str(OUT / "report.png"))
            print(OUT / "report.png")
            ctx.close()
        if outside:
            raise SystemExit(f"requests tried to leave 127.0.0.1: {outside}")


if __name__ == "__main__":
    main()
