"""One self-contained HTML file (optionally a PDF) that retells the briefing's argument from the data.

Every number in the text is computed from the store when the report is written; each section cites the briefing
paragraph (``L<n>``) whose claim it checks, and the tables cite each tie's sources. plotly.js and the world outlines
are inlined, so the file opens offline and makes no request.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import subprocess
import tempfile
from html import escape
from pathlib import Path
from typing import Any

from ..errors import PactnetError
from ..schema import LEVELS
from ..store import Store
from . import _data, figures, optional, views
from .export import ASSETS, GUARD_FLAGS, find_chromium

__all__ = ["build_report", "write_report", "write_pdf", "SNAPSHOT_YEARS"]

SNAPSHOT_YEARS = (2000, 2010, 2022)
_CONFIG = {"displaylogo": False, "responsive": True}


def esc(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _fig_html(fig: Any, div_id: str) -> str:
    import plotly.io as pio

    return pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id, config=_CONFIG,
                       validate=False, default_height="520px")


def _cite(line: str, briefing: dict[str, Any]) -> str:
    return (f'<a class="cite" href="#briefing" title="{esc(briefing.get("citation"))}">[briefing {esc(line)}]</a>')


def _year_counts(port: dict[str, Any], year: int) -> dict[str, int]:
    i = port["years"].index(year)
    return {g: vals[i] for g, vals in port["series"].items()}


def _tie_table(rows: list[dict[str, Any]], sources: dict[str, dict[str, Any]], used: set[str]) -> str:
    out = []
    for t in rows:
        cites = []
        for ref in t.get("sources") or []:
            sid, _, loc = ref.partition("@")
            used.add(sid)
            cites.append(f'<a href="#src-{esc(sid)}">{esc(sid)}</a>' + (f" {esc(loc)}" if loc else ""))
        out.append(f"<tr><td>{esc(t['partner'])}</td><td>{esc(t['kind'])}</td><td>{esc(t['level'])}</td>"
                   f"<td>{esc(t['start'])}</td><td>{esc(t['end'] or 'open')}</td>"
                   f"<td>{esc((t.get('end_reason') or '').replace('_', ' '))}</td><td><code>{esc(t['id'])}</code>"
                   f"</td><td>{'; '.join(cites)}</td></tr>")
    return ("<table><thead><tr><th>partner</th><th>kind</th><th>level</th><th>from</th><th>to</th><th>why ended</th>"
            "<th>record</th><th>sources</th></tr></thead><tbody>" + "".join(out) + "</tbody></table>")


def build_report(*, patron: str = "USA", view: str = "record", db: Any = None) -> str:
    """The report as one HTML string (about 5 MB: plotly.js and the world outlines are inlined)."""
    import plotly

    store = db if isinstance(db, Store) else Store(db)
    acts = _data.actors(db=store)
    if patron not in acts:
        raise PactnetError(f"patron: unknown actor {patron!r}")
    latest = min(_data.latest_year(db=store), dt.date.today().year)
    sources = {s["id"]: s for s in _data.citations(db=store)}
    briefing = sources.get("briefing", {"citation": "the briefing", "address": None})
    used: set[str] = {"briefing"}
    name = acts[patron].get("name") or patron
    owner = name + ("'" if name.endswith("s") else "'s")
    parts: list[str] = []
    figs: list[str] = []

    def fig(f: Any) -> str:
        figs.append(f"fig{len(figs) + 1}")
        return _fig_html(f, figs[-1])

    # 1. guarantees and partnerships over time
    port = views.portfolio_view(patron, 1945, latest, by="level", view=view, db=store)
    checkpoints = [y for y in (1960, 1990, 2001, 2010, 2022, latest) if y in port["years"]]
    rows = "".join("<tr><td>{}</td>{}<td>{}</td></tr>".format(
        y, "".join(f"<td>{_year_counts(port, y).get(lv, 0)}</td>" for lv in LEVELS),
        sum(_year_counts(port, y).values())) for y in dict.fromkeys(checkpoints))
    looser = {y: sum(v for k, v in _year_counts(port, y).items() if k in ("structured", "ad_hoc", "transactional"))
              for y in port["years"]}
    peak = max(looser, key=lambda y: (looser[y], -y))
    g90, g22 = (_year_counts(port, y).get("guarantee", 0) for y in (1990, 2022))
    parts.append(f"""<section id="portfolio"><h2>1. From guarantee-based alliances to looser partnerships</h2>
<p>The briefing argues that guarantee-based alliances carried US strategy in the Cold War, and that the War on Drugs,
the Global War on Terror and counter-piracy then added looser partnerships {_cite("L1", briefing)}
{_cite("L17", briefing)} {_cite("L23", briefing)}. In the data, {esc(name)} held {g90} guarantee ties in 1990 and
{g22} in 2022 (NATO enlargement counts one tie per new ally); ties short of a guarantee or assurance (structured,
ad hoc, transactional) numbered {looser.get(1990, 0)} in 1990 and peaked at {looser[peak]} in {peak}.</p>
{fig(figures.portfolio_figure(port))}
<table><thead><tr><th>year</th>{"".join(f"<th>{esc(lv)}</th>" for lv in LEVELS)}<th>total</th></tr></thead>
<tbody>{rows}</tbody></table></section>""")

    # 2. drivers
    drv = views.portfolio_view(patron, 1945, latest, by="driver", view=view, db=store)
    gwot = drv["series"].get("gwot")
    gwot_note = ""
    if gwot:
        gy = drv["years"][max(range(len(gwot)), key=lambda i: (gwot[i], -i))]
        gwot_note = (f" Ties driven by the Global War on Terror peaked at {max(gwot)} in {gy} and numbered "
                     f"{gwot[drv['years'].index(latest)]} in {latest}.")
    parts.append(f"""<section id="drivers"><h2>2. What drove the ties</h2>
<p>Each tie is coded with the drivers that brought it about (a tie with two drivers counts under each)
{_cite("L1", briefing)} {_cite("L5", briefing)}.{esc(gwot_note)}</p>
{fig(figures.portfolio_figure(drv))}</section>""")

    # 3. networks
    snaps = []
    for y in SNAPSHOT_YEARS:
        if y > latest:
            continue
        net = views.network_view(str(y), patron=patron, view=view, db=store)
        by_level = {lv: sum(1 for p in net["pairs"] if p["level"] == lv) for lv in LEVELS}
        summary = ", ".join(f"{n} {lv}" for lv, n in by_level.items() if n)
        snaps.append(f"<h3>{y}</h3><p>{len(net['pairs'])} partners at the end of {y}: {esc(summary)}.</p>"
                     + fig(figures.network_figure(net, title=f"{owner} security ties at the end of {y}")))
    parts.append(f"""<section id="network"><h2>3. The network in {", ".join(map(str, SNAPSHOT_YEARS))}</h2>
<p>The patron sits in the centre; each partner is placed by region, nearer the centre the stronger its strongest
tie. Lines are coloured by commitment level.</p>{"".join(snaps)}</section>""")

    # 4. map
    m = views.map_view(str(min(2022, latest)), patron=patron, view=view, db=store)
    parts.append(f"""<section id="map"><h2>4. The map of commitments, 2022</h2>
<p>{len(m['countries'])} countries had a tie with {esc(name)} at the end of {min(2022, latest)}; their colour is the
strongest. Not drawn (no territory of their own): {esc(", ".join(sorted(c["actor"] for c in m["not_on_map"])))}.
Small states absent from the 1:110m outlines (e.g. Bahrain, Singapore) are listed in the dashboard's table.</p>
{fig(figures.map_figure(m))}</section>""")

    # 5. added and ended
    ch = views.changes_view(patron, 2006, 2022, view=view, db=store)
    direct = {k: [t for t in ch[k] if not t["via"]] for k in ("added", "ended", "transient")}
    via = {k: sorted({t["partner"] for t in ch[k] if t["via"]}) for k in ("added", "ended")}
    parts.append(f"""<section id="changes"><h2>5. Ties added and ended, 2006-2022</h2>
<p>Partnerships are quick to form and quick to exit {_cite("L3", briefing)}, and under Biden the network is being
pruned {_cite("L5", briefing)} {_cite("L69", briefing)}. Between {ch['start']} and {ch['end']}, {esc(name)} added
{len(direct['added'])} direct ties and ended {len(direct['ended'])}; {len(direct['transient'])} more were formed and
ended in between. Through alliance organisations it gained ties with {len(via['added'])} new allies
({esc(", ".join(via["added"]))}).</p>
{fig(figures.changes_figure(ch))}
<h3>Ended</h3>{_tie_table(direct['ended'], sources, used)}
<h3>Formed and ended in between</h3>{_tie_table(direct['transient'], sources, used)}
<h3>Added</h3>{_tie_table(direct['added'], sources, used)}</section>""")

    # 6. halfway houses: Finland, Sweden, Ukraine
    rows = []
    for a in ("FIN", "SWE", "UKR"):
        if a not in acts:
            continue
        cells = []
        for year in (2021, 2022, latest):
            pairs = views.network_view(str(year), patron=patron, view=view, db=store)["pairs"]
            lv = next((p["level"] for p in pairs if a in (p["a"], p["b"])), "none")
            cells.append(f"<td>{esc(lv)}</td>")
        rows.append(f"<tr><td>{esc(acts[a]['name'])}</td>{''.join(cells)}</tr>")
    parts.append(f"""<section id="halfway"><h2>6. Halfway houses: Ukraine, Finland and Sweden</h2>
<p>Partnering without a guarantee can leave a state exposed to a revisionist neighbour {_cite("L45", briefing)};
Finland and Sweden, close partners, sought membership after Russia's invasion {_cite("L7", briefing)}
{_cite("L49", briefing)} {_cite("L71", briefing)}. Their strongest tie with {esc(name)} at the end of each year:</p>
<table><thead><tr><th>partner</th><th>2021</th><th>2022</th><th>{latest}</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></section>""")

    # 7. indicators (when the indicators package exists)
    ind = optional.indicators_view(patron, None, None, db=store)
    if ind["available"]:
        ind_html = fig(figures.indicator_figure(ind))
    else:
        ind_html = f'<p class="muted">Not in this report: {esc(ind["reason"])}</p>'
    parts.append(f"""<section id="indicators"><h2>7. Key partners' indicators</h2>{ind_html}</section>""")

    # 8. disagreements
    dis = _data.disagreements(db=store)
    drows = "".join(
        f"<tr><td><code>{esc(d['id'])}</code></td><td>{esc(d['type'])}</td>"
        f"<td>{esc(d.get('record_start'))} – {esc(d.get('record_end') or '')}</td>"
        f"<td>{esc(d.get('briefing_start'))} – {esc(d.get('briefing_end') or '')}</td>"
        f"<td>{esc(d.get('record_level') or '')} / {esc(d.get('briefing_level') or '')}</td>"
        f"<td>{esc(d.get('note') or d.get('only') or '')}</td></tr>" for d in dis)
    parts.append(f"""<section id="disagreements"><h2>8. Where the briefing and the record disagree</h2>
<p>The report uses the {esc(view)} view. {len(dis)} records have a briefing version that differs from the public
record; the dashboard's actor pages show both.</p>
<table><thead><tr><th>record</th><th>type</th><th>record dates</th><th>briefing dates</th>
<th>level (record / briefing)</th><th>note</th></tr></thead><tbody>{drows}</tbody></table></section>""")

    # sources
    src_rows = "".join(
        f'<li id="src-{esc(s)}"><strong>{esc(s)}</strong>: {esc(sources.get(s, {}).get("citation"))}'
        + (f' <span class="addr">{esc(sources[s]["address"])}</span>' if sources.get(s, {}).get("address") else "")
        + "</li>" for s in sorted(used))
    parts.append(f"""<section id="sources"><h2>Sources</h2>
<p id="briefing">The briefing: {esc(briefing.get("citation"))}
<span class="addr">{esc(briefing.get("address"))}</span>; <code>L&lt;n&gt;</code> is its n-th paragraph line.</p>
<ul>{src_rows}</ul></section>""")

    plotly_js = (Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js").read_text()
    topo = (ASSETS / "topojson" / "world_110m.json").read_text()
    try:
        version = importlib.metadata.version("pactnet")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        version = "unknown"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(owner)} security partnerships, 1945-{latest}</title>
<style>{_CSS}</style>
<script>window.PlotlyGeoAssets = {{topojson: {{"world_110m": {topo}}}}};</script>
<script>{plotly_js}</script></head>
<body><h1>{esc(owner)} security partnerships, 1945-{latest}: the briefing's argument in data</h1>
<p class="muted">Written by pactnet {esc(version)} on {stamp} from the knowledge base ({esc(view)} view). Every number
below is computed from the data; bracketed references point to the paragraph of the briefing whose claim a section
checks. {len(figs)} figures; nothing is loaded from the network.</p>
{"".join(parts)}
</body></html>"""


_CSS = """body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1150px;margin:1em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}h3{font-size:1.05em}
table{border-collapse:collapse;font-size:.82em;margin:.6em 0}th,td{border:1px solid #ddd;padding:.2em .45em;
text-align:left;vertical-align:top}th{background:#eef3f8}.muted{color:#666}.cite{font-size:.85em;color:#2171b5}
.addr{font-family:monospace;font-size:.85em;color:#555}section{page-break-inside:auto}
@media print{.js-plotly-plot{page-break-inside:avoid}}"""


def write_report(out: str | Path, *, patron: str = "USA", view: str = "record", pdf: str | Path | None = None,
                 db: Any = None) -> Path:
    """Write the HTML report to ``out`` (and a PDF of it to ``pdf``, which needs Chromium)."""
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise PactnetError(f"out: the report is HTML; expected a .html file name, got {out.name!r}")
    html = build_report(patron=patron, view=view, db=db)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        raise PactnetError(f"out: cannot write {out}: {exc.strerror}") from None
    if pdf is not None:
        write_pdf(out, pdf)
    return out


def write_pdf(html: str | Path, pdf: str | Path, *, timeout: float = 120) -> Path:
    """Print an HTML file to PDF with headless Chromium (guarded: no request leaves the machine)."""
    pdf = Path(pdf)
    if pdf.suffix.lower() != ".pdf":
        raise PactnetError(f"pdf: expected a .pdf file name, got {pdf.name!r}")
    chromium = find_chromium()
    if chromium is None:
        raise PactnetError("pdf: printing to PDF needs Chromium (Debian: apt-get install chromium; or set "
                           "PACTNET_CHROMIUM)")
    with tempfile.TemporaryDirectory(prefix="pactnet-pdf-") as profile:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", *GUARD_FLAGS, f"--user-data-dir={profile}",
               "--no-pdf-header-footer", "--virtual-time-budget=20000", "--run-all-compositor-stages-before-draw",
               f"--print-to-pdf={pdf.resolve()}", Path(html).resolve().as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PactnetError(f"pdf: Chromium did not finish printing within {timeout:.0f} s") from None
    if done.returncode != 0 or not pdf.is_file():
        raise PactnetError(f"pdf: Chromium failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    return pdf

