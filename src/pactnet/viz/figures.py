"""Plotly figures drawn from the views of :mod:`pactnet.viz.views` (the dashboard, the report and ``pactnet figure``
all use these). Needs the ``web`` extra (plotly)."""

from __future__ import annotations

from typing import Any

__all__ = [
    "LEVEL_COLORS",
    "network_figure",
    "map_figure",
    "portfolio_figure",
    "changes_figure",
    "fan_figure",
    "indicator_figure",
    "landscape_figure",
    "FONT",
]

#: One colour per commitment level, strongest darkest; hostile ties red.
LEVEL_COLORS: dict[str, str] = {
    "guarantee": "#08306b",
    "assurance": "#2171b5",
    "structured": "#41ab5d",
    "ad_hoc": "#fd8d3c",
    "transactional": "#969696",
    "hostile": "#cb181d",
}
FONT = {"family": "DejaVu Sans, Arial, sans-serif", "size": 12}
_DRIVER_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
                  "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6", "#ffff99", "#b15928"]


def _go():
    try:
        import plotly.graph_objects as go
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the install
        from ..errors import PactnetError

        raise PactnetError("figures need plotly: pip install 'pactnet[web]'") from exc
    return go


def _figure(traces: list[dict[str, Any]], layout: dict[str, Any]):
    """A Figure from plain trace and layout dicts, unvalidated (validation costs tens of ms per figure, too
    much for a slider; the tests validate each figure once)."""
    return _go().Figure({"data": traces, "layout": layout}, _validate=False)


def _when(at: str) -> str:
    """A date for a title: a bare year stands for its last day."""
    return f"the end of {at}" if len(str(at)) == 4 else f"{at}"


def _layout(title: str, **kw: Any) -> dict[str, Any]:
    return {"title": {"text": title, "x": 0.01}, "font": FONT, "margin": {"l": 40, "r": 20, "t": 50, "b": 40},
            "paper_bgcolor": "white", "plot_bgcolor": "white", **kw}


def network_figure(data: dict[str, Any], *, title: str | None = None):
    """Actors at fixed positions, ties as lines coloured by commitment level (one legend entry per level)."""
    pos = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    traces: list[dict[str, Any]] = []
    by_level: dict[str, list[dict]] = {}
    for p in data["pairs"]:
        by_level.setdefault(p["level"], []).append(p)
    from ..schema import LEVELS

    for level in reversed(LEVELS):  # strongest drawn last, on top
        pairs = by_level.get(level, [])
        if not pairs:
            continue
        xs: list[float | None] = []
        ys: list[float | None] = []
        mx, my, mt = [], [], []
        for p in pairs:
            (x0, y0), (x1, y1) = pos[p["a"]], pos[p["b"]]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
            mx.append((x0 + x1) / 2)
            my.append((y0 + y1) / 2)
            mt.append(f"{p['a']}–{p['b']}: {level}<br>{'<br>'.join(p['ties'])}")
        width = {"guarantee": 2.6, "assurance": 2.2, "structured": 1.6}.get(level, 1.2)
        traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", name=f"{level} ({len(pairs)})", legendgroup=level,
                                 line={"color": LEVEL_COLORS[level], "width": width,
                                       "dash": "dot" if level == "hostile" else "solid"}, hoverinfo="skip"))
        traces.append(dict(type="scatter", x=mx, y=my, mode="markers", legendgroup=level, showlegend=False,
                                 marker={"size": 6, "color": LEVEL_COLORS[level], "opacity": 0.0},
                                 hovertext=mt, hoverinfo="text"))
    degree: dict[str, int] = {}
    for p in data["pairs"]:
        degree[p["a"]] = degree.get(p["a"], 0) + 1
        degree[p["b"]] = degree.get(p["b"], 0) + 1
    nodes = data["nodes"]
    traces.append(dict(
        type="scatter", x=[n["x"] for n in nodes], y=[n["y"] for n in nodes], mode="markers+text", name="actors",
        text=[n["id"] for n in nodes], textposition="top center", textfont={"size": 9},
        hovertext=[f"{n['name']} ({n['kind']}, {n['region']})" for n in nodes], hoverinfo="text",
        customdata=[n["id"] for n in nodes],
        marker={"size": [7 + min(degree.get(n["id"], 0), 30) ** 0.8 * 1.5 for n in nodes],
                "color": ["#fdd49e" if n["kind"] == "state" else "#bcbddc" for n in nodes],
                "line": {"color": "#555", "width": 0.6}},
        showlegend=False))
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    return _figure(traces, _layout(title or f"Security ties at {_when(data['at'])} ({data['view']} view)",
                                xaxis=axis, yaxis={**axis, "scaleanchor": "x"}, hovermode="closest",
                                legend={"title": {"text": "strongest tie of a pair"}}))


def map_figure(data: dict[str, Any], *, title: str | None = None):
    """Countries coloured by the patron's strongest commitment level with them (one trace per level)."""
    from ..schema import LEVELS

    traces: list[dict[str, Any]] = []
    for level in LEVELS:
        rows = [c for c in data["countries"] if c["level"] == level]
        if not rows:
            continue
        color = LEVEL_COLORS[level]
        traces.append(dict(
            type="choropleth", locations=[c["iso3"] for c in rows], z=[1] * len(rows), locationmode="ISO-3",
            colorscale=[[0, color], [1, color]], showscale=False, name=f"{level} ({len(rows)})", showlegend=True,
            text=[f"{c['name']}: {level}<br>{'<br>'.join(c['ties'][:6])}" for c in rows], hoverinfo="text",
            marker={"line": {"color": "white", "width": 0.4}}))
    if data.get("patron_iso3"):
        traces.append(dict(type="choropleth", locations=[data["patron_iso3"]], z=[1], locationmode="ISO-3",
                                    colorscale=[[0, "#e6550d"], [1, "#e6550d"]], showscale=False,
                                    name=f"{data['patron']} (patron)", showlegend=True, hoverinfo="name"))
    geo = {"projection": {"type": "natural earth", "rotation": {"lon": 0}}, "showcountries": True,
           "countrycolor": "#bbbbbb", "showland": True, "landcolor": "#f2f2f2", "showocean": False,
           "showframe": False, "showcoastlines": False, "lataxis": {"range": [-58, 85]}}
    return _figure(traces, _layout(title or f"{data['patron']}'s commitment level by country at {_when(data['at'])} "
                                f"({data['view']} view)", margin={"l": 0, "r": 0, "t": 50, "b": 0},
                                legend={"title": {"text": "strongest tie"}}, geo=geo))


def portfolio_figure(data: dict[str, Any], *, title: str | None = None):
    """Stacked areas: the patron's ties per year by level (or driver)."""
    traces: list[dict[str, Any]] = []
    for i, (group, values) in enumerate(data["series"].items()):
        color = LEVEL_COLORS.get(group) if data["by"] == "level" else _DRIVER_COLORS[i % len(_DRIVER_COLORS)]
        traces.append(dict(type="scatter", x=data["years"], y=values, name=group, mode="lines", stackgroup="one",
                                 line={"width": 0.5, "color": color}, fillcolor=color))
    return _figure(traces, _layout(title or f"{data['patron']}'s security ties per year by {data['by']} "
                                f"({data['view']} view)", xaxis={"title": {"text": "year"}},
                                yaxis={"title": {"text": "ties active in the year"}},
                                legend={"title": {"text": data["by"]}}, hovermode="x unified"))


def changes_figure(data: dict[str, Any], *, title: str | None = None):
    """Ties added and ended between two dates, counted by level; ties held through an alliance organisation
    (e.g. each new NATO ally) are a separate, hatched part of each bar."""
    from ..schema import LEVELS

    traces: list[dict[str, Any]] = []
    cats = ["added", "ended", "transient"]
    for level in LEVELS:
        for through in (False, True):
            counts = [sum(1 for t in data[c] if t["level"] == level and bool(t["via"]) == through) for c in cats]
            if not any(counts):
                continue
            traces.append(dict(type="bar", y=cats, x=counts, orientation="h",
                               name=level + (" (via org)" if through else ""), marker={"color": LEVEL_COLORS[level],
                                         "pattern": {"shape": "/" if through else ""}}))
    return _figure(traces, _layout(title or f"{data['patron']}'s ties added and ended, {data['start']} to "
                                f"{data['end']}", barmode="stack", xaxis={"title": {"text": "ties"}},
                                yaxis={"autorange": "reversed"}))


def fan_figure(data: dict[str, Any], *, title: str | None = None):
    """Fan chart of an ensemble: for each level, the median count per year and the 50% and 90% bands."""
    traces: list[dict[str, Any]] = []
    years = data["years"]
    for level, q in data["levels"].items():
        color = LEVEL_COLORS.get(level, "#444444")
        rgb = tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))
        for lo, hi, alpha in (("q05", "q95", 0.15), ("q25", "q75", 0.3)):
            traces.append(dict(type="scatter", x=years + years[::-1], y=q[hi] + q[lo][::-1], fill="toself",
                               mode="lines", line={"width": 0}, fillcolor=f"rgba{(*rgb, alpha)}", hoverinfo="skip",
                                     legendgroup=level, showlegend=False))
        traces.append(dict(type="scatter", x=years, y=q["q50"], mode="lines", name=level, legendgroup=level,
                                 line={"color": color, "width": 2}))
    return _figure(traces, _layout(title or f"Ensemble {data['name']}: ties by level (median, 50% and 90% bands, "
                                f"{data['replicas']} replicas)", xaxis={"title": {"text": "year"}},
                                yaxis={"title": {"text": "ties"}}))


def indicator_figure(data: dict[str, Any], *, title: str | None = None):
    """One line per partner: an indicator over time."""
    traces: list[dict[str, Any]] = []
    for i, (actor, pts) in enumerate(data["series"].items()):
        traces.append(dict(type="scatter", x=[p[0] for p in pts], y=[p[1] for p in pts], mode="lines+markers",
                           name=actor, line={"color": _DRIVER_COLORS[i % len(_DRIVER_COLORS)]}))
    return _figure(traces, _layout(title or f"{data['indicator']} of {data['patron']}'s partners",
                                xaxis={"title": {"text": "date"}}, yaxis={"title": {"text": data["indicator"]}}))


def landscape_figure(data: dict[str, Any], *, title: str | None = None):
    """The lowest-energy alignments: each state's side in each local minimum."""
    labels = data["labels"]
    z, text = [], []
    for m in data["minima"]:
        side_of = {a: i for i, side in enumerate(m["sides"]) for a in side}
        z.append([side_of.get(a, -1) for a in labels])
        text.append([f"side {side_of.get(a, -1) + 1}" for a in labels])
    rows = [f"minimum {m['rank']} (E={m['energy']:.3g})" for m in data["minima"]]
    traces = [dict(type="heatmap", z=z, x=labels, y=rows, text=text, hoverinfo="x+y+text", showscale=False,
                   colorscale=[[0, "#2171b5"], [1, "#cb181d"]], xgap=2, ygap=2)]
    return _figure(traces, _layout(title or f"Alignment landscape at {data['at']}", yaxis={"autorange": "reversed"}))
