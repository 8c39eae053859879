"""HTML of the dashboard's pages. Every piece of data goes through :func:`esc`; the chart pages are shells whose
script (``static/app.js``) fetches the page's JSON twin and draws it."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote, urlencode

__all__ = ["esc", "page", "chart_page", "actor_page", "source_page", "actors_page", "home_page", "error_page",
           "NAV"]

NAV = (("/", "Overview"), ("/network", "Network"), ("/map", "Map"), ("/portfolio", "Portfolio"),
       ("/changes", "Added & ended"), ("/actors", "Actors"), ("/indicators", "Indicators"),
       ("/landscape", "Landscape"), ("/simulation", "Simulation"))


def esc(value: Any) -> str:
    """Text for HTML content and attribute values (quotes escaped too)."""
    return escape("" if value is None else str(value), quote=True)


def _href(path: str, ident: str) -> str:
    return esc(f"{path}/{quote(ident, safe='')}")


#: plotly.js's partial bundles (the same release as the plotly package's full one) load three times faster; a page
#: not listed gets the full bundle from the plotly package.
_PLOTLY = {"map": "plotly-geo.min.js", "network": "plotly-cartesian.min.js", "portfolio": "plotly-cartesian.min.js",
           "changes": "plotly-cartesian.min.js", "indicators": "plotly-cartesian.min.js",
           "landscape": "plotly-cartesian.min.js", "simulation": "plotly-cartesian.min.js"}


def page(title: str, body: str, *, name: str, endpoint: str | None = None) -> str:
    nav = " ".join(f'<a href="{esc(h)}"{" class=current" if h == "/" + name or (h == "/" and name == "home") else ""}>'
                   f"{esc(t)}</a>" for h, t in NAV)
    api = f' data-endpoint="{esc(endpoint)}"' if endpoint else ""
    scripts = (f'<script src="/static/{_PLOTLY.get(name, "plotly.min.js")}"></script>\n'
               '<script src="/static/app.js"></script>' if endpoint else "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · pactnet</title><link rel="stylesheet" href="/static/style.css"></head>
<body data-page="{esc(name)}"{api}>
<header><strong>pactnet</strong> <nav>{nav}</nav></header>
<main><h1>{esc(title)}</h1>
{body}
</main>
<footer>pactnet: US alliances and security partnerships as sourced, time-stamped data. Every chart has a JSON twin
under <code>/api/</code>. Served locally; nothing is fetched from elsewhere.</footer>
{scripts}
</body></html>"""


def _options(values: list[tuple[str, str]], selected: str | None) -> str:
    return "".join(f'<option value="{esc(v)}"{" selected" if v == (selected or "") else ""}>{esc(label)}</option>'
                   for v, label in values)


def _select(name: str, label: str, values: list[tuple[str, str]], selected: str | None) -> str:
    return (f'<label>{esc(label)} <select name="{esc(name)}" id="f-{esc(name)}">{_options(values, selected)}'
            f"</select></label>")


def controls(kind: str, meta: dict[str, Any], q: dict[str, Any]) -> str:
    """The filter form of a chart page, with the request's values selected."""
    latest = meta["latest_year"]
    views = [("record", "public record"), ("briefing", "briefing's view")]
    actors = [(a, f"{a}: {n}") for a, n in meta["actor_names"]]
    parts = []
    if kind in ("network", "map"):
        year = str(q.get("at") or latest)[:4]
        parts.append(f'<label class="slider">Year <input type="range" id="f-year" name="year" min="1945" '
                     f'max="{latest}" step="1" value="{esc(year)}"> <output id="year-out">{esc(year)}</output>'
                     f"</label>")
        full = q.get("at") if q.get("at") and len(str(q.get("at"))) > 4 else ""
        parts.append(f'<label>or exact date <input type="text" id="f-date" name="date" placeholder="YYYY-MM-DD" '
                     f'size="11" value="{esc(full)}"></label>')
    if kind in ("network", "map", "portfolio", "changes", "indicators"):
        none = [("", "(all actors)")] if kind == "network" else []
        parts.append(_select("patron", "Patron", none + actors,
                             q.get("patron", "USA") if "patron" in q or kind != "network" else "USA"))
    if kind == "network":
        parts.append(_select("level", "Level", [("", "(all)")] + [(v, v) for v in meta["levels"]], q.get("level")))
        parts.append(_select("driver", "Driver", [("", "(all)")] + [(v, v) for v in meta["drivers"]],
                             q.get("driver")))
        parts.append(_select("region", "Region", [("", "(all)")] + [(v, v) for v in meta["regions"]],
                             q.get("region")))
        parts.append(_select("via", "Through alliances", [("1", "shown"), ("0", "hidden")], q.get("via", "1")))
    if kind == "portfolio":
        parts.append(_select("by", "Stacked by", [("level", "level"), ("driver", "driver")], q.get("by", "level")))
        parts.append(f'<label>From <input type="number" name="start" min="1945" max="{latest}" '
                     f'value="{esc(q.get("start", 1945))}"></label>')
        parts.append(f'<label>to <input type="number" name="end" min="1945" max="{latest}" '
                     f'value="{esc(q.get("end", latest))}"></label>')
    if kind == "changes":
        parts.append(f'<label>From <input type="number" name="start" min="1945" max="{latest}" '
                     f'value="{esc(q.get("start", 2006))}"></label>')
        parts.append(f'<label>to <input type="number" name="end" min="1945" max="{latest}" '
                     f'value="{esc(q.get("end", 2022))}"></label>')
    if kind == "landscape":
        parts.append(f'<label>Date <input type="text" name="at" size="11" value="{esc(q.get("at", "2021-12-31"))}">'
                     f"</label>")
        parts.append(f'<label>States <input type="text" name="actors" size="60" value="{esc(q.get("actors", ""))}" '
                     f'placeholder="USA,GBR,RUS,CHN,..."></label>')
    if kind == "indicators":
        parts.append(f'<label>Partners <input type="text" name="actors" size="30" value="{esc(q.get("actors", ""))}" '
                     f'placeholder="PAK,IND,UKR"></label>')
        parts.append(f'<label>Indicator <input type="text" name="indicator" size="24" '
                     f'value="{esc(q.get("indicator", ""))}"></label>')
    if kind == "simulation":
        parts.append(_select("ensemble", "Ensemble", [(n, n) for n in meta["ensembles"]], q.get("ensemble")))
    if kind in ("network", "map", "portfolio", "changes", "landscape"):
        parts.append(_select("view", "View", views, q.get("view", "record")))
    return f'<form id="controls" class="controls">{" ".join(parts)}</form>'


_INTRO = {
    "network": "Each line is a pair's strongest tie at the date, coloured by commitment level. With a patron, "
               "partners sit nearer the centre the stronger their tie. Move the slider to change the date (a year "
               "stands for its last day) or type an exact date.",
    "map": "Each country is coloured by the patron's strongest commitment to it at the date (a NATO member is a "
           "guarantee). Actors without a territory of their own are listed below the map.",
    "portfolio": "The patron's ties active in each year, stacked by commitment level or by driver (a tie with two "
                 "drivers counts under each).",
    "changes": "Ties the patron added and ended between the first day of the first year and the last day of the "
               "second, and those formed and ended in between.",
    "indicators": "Indicators of the patron's partners over time (deterrence credibility, exit ease, leverage, ...).",
    "landscape": "Axelrod and Bennett's landscape theory: the lowest-energy ways the chosen states split into two "
                 "coalitions at the date, from their ties and sizes.",
    "simulation": "Fan charts of a simulated ensemble: the median count of ties by level per year, with the 50% "
                  "and 90% bands across replicas.",
}


def _json_script(text: str) -> str:
    """JSON inside a non-executed script element: ``<`` is escaped so the text cannot close the element."""
    return '<script type="application/json" id="initial-data">' + text.replace("<", "\\u003c") + "</script>"


def chart_page(kind: str, title: str, meta: dict[str, Any], q: dict[str, Any], first: str | None = None) -> str:
    """A chart page; ``first`` is the JSON of its first draw (the same as its endpoint's answer), embedded so that
    the page draws without a second request."""
    body = (f"<p class=intro>{esc(_INTRO[kind])}</p>{controls(kind, meta, q)}"
            f'<p id="status" role="status">loading…</p><div id="empty" class="empty-state" hidden></div>'
            f'<div id="chart" class="chart"></div><div id="table"></div>'
            + (_json_script(first) if first else ""))
    return page(title, body, name=kind, endpoint=f"/api/{kind}")


def _cites(cites: list[dict[str, Any]]) -> str:
    if not cites:
        return '<span class="muted">no citation</span>'
    items = []
    for c in cites:
        label = f"{c['source']}" + (f" @ {c['locator']}" if c.get("locator") else "")
        items.append(f'<li><a class="source" href="{_href("/source", c["source"])}">{esc(label)}</a>'
                     + (f' <span class="muted">{esc(c["citation"])}</span>' if c.get("citation") else "") + "</li>")
    return "<ul class=cites>" + "".join(items) + "</ul>"


_LEVEL_COLOURS = {"guarantee": "#08306b", "assurance": "#2171b5", "structured": "#41ab5d", "ad_hoc": "#fd8d3c",
                  "transactional": "#969696", "hostile": "#cb181d"}


def timeline_svg(items: list[dict[str, Any]], *, first: int = 1945, last: int | None = None) -> str:
    """The actor's ties as bars from start to end (coloured by level) and its events as ticks, as inline SVG."""
    ties = [i for i in items if i["type"] == "tie"]
    events = [i for i in items if i["type"] == "event"]
    years = [int(i["date"][:4]) for i in items if i.get("date")] + [int(i["end"][:4]) for i in ties if i.get("end")]
    if not items:
        return ""
    first = max(first, min(years) - 1)
    last = last or max(max(years) + 1, 2024)
    label_w, plot_w, row_h = 230, 760, 16
    height = row_h * (len(ties) + 2) + 30

    def x(date: str | None) -> float:
        if not date:
            return label_w + plot_w
        y = int(date[:4]) + (int(date[5:7]) - 1) / 12 if len(date) >= 7 else int(date[:4])
        return label_w + (y - first) / (last - first) * plot_w

    out = [f'<svg class="timeline" role="img" aria-label="timeline" width="{label_w + plot_w + 10}" '
           f'height="{height}" viewBox="0 0 {label_w + plot_w + 10} {height}" xmlns="http://www.w3.org/2000/svg">']
    for year in range((first // 10 + 1) * 10, last + 1, 10):
        gx = x(f"{year}")
        out.append(f'<line x1="{gx:.1f}" x2="{gx:.1f}" y1="0" y2="{height - 18}" stroke="#e5e5e5"/>'
                   f'<text x="{gx:.1f}" y="{height - 4}" font-size="10" text-anchor="middle">{year}</text>')
    for row, t in enumerate(ties):
        y = row * row_h + 4
        colour = _LEVEL_COLOURS.get(t.get("level") or "", "#777")
        pale = ' fill-opacity="0.45"' if t.get("briefing") else ""
        x0, x1 = x(t["date"]), x(t.get("end"))
        label = f"{t.get('with') or ''} · {t['kind']}"
        tip = f"{t['id']}: {t['kind']} ({t.get('level')}) with {t.get('with')}, {t['date']} to {t.get('end') or 'open'}"
        out.append(f'<g class="tie" data-id="{esc(t["id"])}"><title>{esc(tip)}</title>'
                   f'<text x="{label_w - 6}" y="{y + 10}" font-size="10" text-anchor="end">{esc(label[:38])}</text>'
                   f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 2):.1f}" height="{row_h - 5}" fill="{colour}"'
                   f"{pale}/></g>")
    y = len(ties) * row_h + 6
    out.append(f'<text x="{label_w - 6}" y="{y + 10}" font-size="10" text-anchor="end">events</text>')
    for e in events:
        ex = x(e["date"])
        out.append(f'<g class="event"><title>{esc(e["date"] + ": " + (e.get("description") or e["kind"]))}</title>'
                   f'<path d="M{ex:.1f} {y} l4 6 l-4 6 l-4 -6 z" fill="#444"/></g>')
    out.append("</svg>")
    return "".join(out)


def actor_page(data: dict[str, Any]) -> str:
    a = data["actor"]
    facts = ", ".join(esc(x) for x in (a.get("kind"), a.get("region"), f"COW {a['ccode']}" if a.get("ccode") else None,
                                       f"ISO {a['iso3']}" if a.get("iso3") else None) if x)
    rows = []
    for item in data["timeline"]:
        other = item.get("with") or ""
        with_links = ", ".join(f'<a href="{_href("/actor", w.strip())}">{esc(w.strip())}</a>'
                               for w in other.split(",") if w.strip())
        what = esc(item["kind"]) + (f" ({esc(item['level'])})" if item.get("level") else "")
        if item.get("via"):
            what += f' <span class="muted">via {esc(item["via"])}</span>'
        text = esc(item.get("description") or item.get("note") or "")
        both = ""
        b = item.get("briefing")
        if b:
            if b.get("absent"):
                both = '<div class="disagree">The briefing does not have this record.</div>'
            else:
                fields = ", ".join(f"{esc(k)}: {esc(b.get(k))}" for k in b.get("differs", []) if k in b)
                both = (f'<div class="disagree"><strong>The briefing differs</strong> ({esc(", ".join(b["differs"]))})'
                        f"{': ' + fields if fields else ''}{_cites(b.get('citations', []))}</div>")
        span = esc(item["date"]) + (f" – {esc(item['end'])}" if item.get("end") else
                                    (" – open" if item["type"] == "tie" else ""))
        rows.append(f'<tr class="{esc(item["type"])}" data-id="{esc(item["id"])}"><td>{span}</td>'
                    f"<td>{esc(item['type'])}</td><td>{what}<br><code>{esc(item['id'])}</code></td>"
                    f"<td>{with_links}</td><td>{text}{both}</td><td>{_cites(item['citations'])}</td></tr>")
    body = (f'<p class=facts>{facts} · <a href="/api/actor/{esc(quote(a["id"], safe=""))}">JSON</a></p>'
            + (f"<p>{esc(a['note'])}</p>" if a.get("note") else "")
            + ("<h2>Sources on this actor</h2>" + _cites(data["citations"]) if data["citations"] else "")
            + "<h2>Timeline</h2><p class=muted>Bars: ties from start to end, coloured by commitment level (paler where "
            "the briefing differs); diamonds: events. Hover for details.</p>" + timeline_svg(data["timeline"])
            + '<table class="timeline"><thead><tr><th>when</th><th>type</th><th>what</th><th>with</th>'
            "<th>note</th><th>citations</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    return page(f"{a['name']} ({a['id']})", body, name="actor")


def source_page(data: dict[str, Any]) -> str:
    addr = data.get("address") or ""
    link = (f'<a class="address" href="{esc(addr)}" rel="noopener noreferrer" target="_blank">{esc(addr)}</a>'
            if addr.startswith(("https://", "http://")) else esc(addr) or '<span class="muted">no address</span>')
    rows = "".join(
        f"<tr><td><a href=\"{_href('/actor', u['record']) if u['type'] == 'actor' else '#'}\">{esc(u['record'])}</a>"
        f"</td><td>{esc(u['type'])}</td><td>{esc(u['locator'])}</td><td>{esc(', '.join(u['views']))}</td></tr>"
        for u in data["cited_by"])
    body = (f'<p class="citation">{esc(data.get("citation"))}</p><p>Kind: {esc(data.get("kind"))}</p>'
            f"<p>Address: {link}</p>"
            f'<p><a href="/api/source/{esc(quote(data["id"], safe=""))}">JSON</a></p>'
            f"<h2>Cited by ({len(data['cited_by'])})</h2><table><thead><tr><th>record</th><th>type</th>"
            f"<th>locator</th><th>views</th></tr></thead><tbody>{rows}</tbody></table>")
    return page(f"Source {data['id']}", body, name="source")


def actors_page(actors: list[dict[str, Any]]) -> str:
    rows = "".join(f'<tr><td><a href="{_href("/actor", a["id"])}">{esc(a["id"])}</a></td><td>{esc(a["name"])}</td>'
                   f"<td>{esc(a['kind'])}</td><td>{esc(a['region'])}</td><td>{esc(a['iso3'])}</td></tr>"
                   for a in actors)
    body = ('<p><a href="/api/actors">JSON</a></p><table><thead><tr><th>id</th><th>name</th><th>kind</th>'
            f"<th>region</th><th>ISO</th></tr></thead><tbody>{rows}</tbody></table>")
    return page("Actors", body, name="actors")


def home_page(meta: dict[str, Any]) -> str:
    cards = "".join(f'<li><a href="{esc(h)}">{esc(t)}</a></li>' for h, t in NAV[1:])
    state = []
    for label, ok in (("indicators", meta["has_indicators"]), ("landscape", meta["has_landscape"]),
                      ("simulation", bool(meta["ensembles"]))):
        state.append(f"<li>{esc(label)}: {'available' if ok else 'no data yet (the page says what to do)'}</li>")
    body = (f"<p>{esc(meta['ties'])} ties among {esc(meta['actors'])} actors, 1945 to {esc(meta['latest_year'])}, "
            "each with its citations. Pick a view:</p>"
            f"<ul class=cards>{cards}</ul><h2>Optional data</h2><ul>{''.join(state)}</ul>"
            '<p><a href="/api/meta">JSON</a></p>')
    return page("US security partnerships", body, name="home")


def error_page(status: int, message: str) -> str:
    return page(f"Error {status}", f'<p class="error">{esc(message)}</p>', name="error")


def query_string(params: dict[str, Any]) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})
