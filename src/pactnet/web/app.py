"""The local dashboard: a Starlette app whose every page has a JSON twin under ``/api/``.

Safety: parameters are validated (:mod:`pactnet.web.params`) and a bad one gets a 400 with a message; all text is
escaped (:mod:`pactnet.web.pages`); static files come from a fixed table, so no request can name a file; the
simulation view takes an ensemble *name* from a listing of the folder the server was started with. Every asset is
served from here: plotly.js from the plotly package, the world outlines from ``assets/topojson``.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import schema as S
from ..errors import PactnetError
from ..store import Store
from ..viz import _data, figures, optional, views
from . import pages
from .params import BadRequest, Params, check_id

__all__ = ["create_app", "App"]

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
_SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; "
                                "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _static_files() -> dict[str, tuple[Path, str]]:
    """The only files the server sends: a fixed name -> (path, media type) table."""
    import plotly

    plotly_js = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    return {
        "plotly.min.js": (plotly_js, "text/javascript"),
        "plotly-cartesian.min.js": (HERE / "assets" / "js" / "plotly-cartesian.min.js", "text/javascript"),
        "plotly-geo.min.js": (HERE / "assets" / "js" / "plotly-geo.min.js", "text/javascript"),
        "app.js": (HERE / "static" / "app.js", "text/javascript"),
        "style.css": (HERE / "static" / "style.css", "text/css"),
        "topojson/world_110m.json": (HERE / "assets" / "topojson" / "world_110m.json", "application/json"),
    }


class App:
    """The dashboard's state: the store, the simulation folder and a small cache of computed views."""

    def __init__(self, db: Any = None, *, sim_dir: str | Path | None = None, cache_size: int = 256) -> None:
        self.store = db if isinstance(db, Store) else Store(db)
        self.store.ensure_built()
        self.sim_dir = Path(sim_dir) if sim_dir else None
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._meta_key: Any = None
        self._meta: dict[str, Any] = {}

    def _stamp(self) -> int | None:
        try:
            return self.store.path.stat().st_mtime_ns
        except OSError:
            return None

    def cached(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """``fn(*args, **kw)``, remembered until the store file changes."""
        key = (fn.__module__, fn.__qualname__, self._stamp(), args, tuple(sorted(kw.items())))
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = fn(*args, **kw)
        with self._lock:
            self._cache[key] = value
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    def warm(self) -> threading.Thread:
        """Compute the network and map of every year of the slider (default filters) in a background thread, most
        recent first, so that moving the slider finds them ready."""

        def run() -> None:
            try:
                for year in range(self.meta()["latest_year"], 1944, -1):
                    network_json(self, {"at": str(year)})
                    map_json(self, {"at": str(year)})
            except Exception:  # a warm-up failure must not stop the server; requests will report it
                log.exception("warming the dashboard's cache failed")

        thread = threading.Thread(target=run, name="pactnet-warm", daemon=True)
        thread.start()
        return thread

    def meta(self) -> dict[str, Any]:
        stamp = self._stamp()
        if self._meta_key != stamp:
            acts = _data.actors(db=self.store)
            all_ties = _data.ties(via=False, db=self.store)
            self._meta = {
                "latest_year": _data.latest_year(db=self.store),
                "first_year": 1945,
                "actors": len(acts), "ties": len(all_ties),
                "actor_ids": acts,
                "actor_names": sorted((a, v.get("name") or a) for a, v in acts.items()),
                "levels": list(S.LEVELS), "drivers": sorted(S.DRIVERS),
                "regions": sorted({v["region"] for v in acts.values() if v.get("region")}),
                "views": list(S.VIEWS),
                "has_landscape": self.store.has_table("nmc_capabilities"),
            }
            self._meta_key = stamp
        m = dict(self._meta)
        m["ensembles"] = optional.simulation_list(self.sim_dir)
        m["has_indicators"] = _has_module("pactnet.indicators")
        return m

    def params(self, query: Any, allowed: tuple[str, ...]) -> Params:
        m = self.meta()
        return Params(query, allowed, latest_year=m["latest_year"], actors=m["actor_ids"], regions=m["regions"])


def _has_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _figure_json(fig: Any) -> str:
    import plotly.io as pio

    return pio.to_json(fig, validate=False)


def _payload(data: dict[str, Any], fig: Any | None) -> str:
    text = json.dumps(data, default=str)
    if fig is None:
        return text
    return text[:-1] + (", " if len(text) > 2 else "") + '"figure": ' + _figure_json(fig) + "}"


# ------------------------------------------------------------------------------------------- the views' JSON


def network_json(app: App, query: Any) -> str:
    p = app.params(query, ("at", "patron", "level", "driver", "region", "via", "view"))
    m = app.meta()
    at = p.date("at", str(m["latest_year"]))
    patron = p.actor("patron", "USA") if "patron" not in query or query.get("patron") else None
    kw = {"view": p.view(), "patron": patron, "level": p.choice("level", S.LEVELS),
          "driver": p.choice("driver", S.DRIVERS), "region": p.choice("region", m["regions"]),
          "via": p.flag("via", True)}

    def build(at: str, **kw: Any) -> str:
        data = views.network_view(at, db=app.store, **kw)
        return _payload(data, figures.network_figure(data))

    return app.cached(build, at, **kw)


def map_json(app: App, query: Any) -> str:
    p = app.params(query, ("at", "patron", "view"))
    at = p.date("at", str(app.meta()["latest_year"]))
    kw = {"patron": p.actor("patron", "USA"), "view": p.view()}

    def build(at: str, **kw: Any) -> str:
        data = views.map_view(at, db=app.store, **kw)
        return _payload(data, figures.map_figure(data))

    return app.cached(build, at, **kw)


def portfolio_json(app: App, query: Any) -> str:
    p = app.params(query, ("patron", "by", "start", "end", "view"))
    latest = app.meta()["latest_year"]
    start, end = p.year("start", 1945), p.year("end", latest)
    if end < start:
        raise BadRequest(f"end ({end}) is before start ({start})")
    kw = {"patron": p.actor("patron", "USA"), "by": p.choice("by", ("level", "driver"), "level"),
          "view": p.view(), "start": start, "end": end}

    def build(**kw: Any) -> str:
        data = views.portfolio_view(db=app.store, **kw)
        return _payload(data, figures.portfolio_figure(data))

    return app.cached(build, **kw)


def changes_json(app: App, query: Any) -> str:
    p = app.params(query, ("patron", "start", "end", "view"))
    start, end = p.year("start", 2006), p.year("end", 2022)
    if end < start:
        raise BadRequest(f"end ({end}) is before start ({start})")
    kw = {"patron": p.actor("patron", "USA"), "view": p.view(), "start": start, "end": end}

    def build(**kw: Any) -> str:
        data = views.changes_view(db=app.store, **kw)
        return _payload(data, figures.changes_figure(data))

    return app.cached(build, **kw)


def indicators_json(app: App, query: Any) -> str:
    p = app.params(query, ("patron", "actors", "indicator"))
    kw = {"patron": p.actor("patron", "USA"), "actors": p.actor_list("actors"), "indicator": p.name("indicator")}
    data = optional.indicators_view(kw["patron"], kw["actors"], kw["indicator"], db=app.store)
    return _payload(data, figures.indicator_figure(data) if data["available"] else None)


def landscape_json(app: App, query: Any) -> str:
    p = app.params(query, ("at", "actors", "view"))
    at, actors, view = p.date("at", "2021-12-31"), p.actor_list("actors"), p.view()

    def build(at: str, actors: tuple[str, ...] | None, view: str) -> str:
        data = optional.landscape_view(at, list(actors) if actors else None, view=view, db=app.store)
        return _payload(data, figures.landscape_figure(data) if data["available"] else None)

    return app.cached(build, at, tuple(actors) if actors else None, view)


def simulation_json(app: App, query: Any) -> str:
    p = app.params(query, ("ensemble",))
    data = optional.simulation_view(app.sim_dir, p.name("ensemble"))
    return _payload(data, figures.fan_figure(data) if data["available"] else None)


_CHARTS: dict[str, tuple[str, Callable[[App, Any], str]]] = {
    "network": ("The network at a date", network_json),
    "map": ("The patron's commitments on the map", map_json),
    "portfolio": ("The portfolio over time", portfolio_json),
    "changes": ("Ties added and ended", changes_json),
    "indicators": ("Partners' indicators", indicators_json),
    "landscape": ("Alignment landscape", landscape_json),
    "simulation": ("Simulation ensembles", simulation_json),
}


def create_app(db: Any = None, *, sim_dir: str | Path | None = None, warm: bool = False) -> Any:
    """The Starlette application over the store ``db``; ``sim_dir`` is a folder of ensemble Parquet files.
    ``warm`` precomputes the slider's years in a background thread (:meth:`App.warm`)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.requests import Request
    from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
    from starlette.routing import Route

    state = App(db, sim_dir=sim_dir)
    static = _static_files()
    if warm:
        state.warm()

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def error(request: Request, status: int, message: str) -> Response:
        if is_api(request):
            return JSONResponse({"ok": False, "status": status, "error": message}, status_code=status)
        return HTMLResponse(pages.error_page(status, message), status_code=status)

    def json_text(text: str) -> Response:
        return Response(text, media_type="application/json")

    async def home(request: Request) -> Response:
        state.params(request.query_params, ())
        return HTMLResponse(pages.home_page(state.meta()))

    async def meta_api(request: Request) -> Response:
        state.params(request.query_params, ())
        m = state.meta()
        return JSONResponse({k: v for k, v in m.items() if k != "actor_ids"})

    def chart_page(kind: str) -> Callable:
        title, fn = _CHARTS[kind]

        async def html(request: Request) -> Response:
            first = fn(state, request.query_params)  # validates; the page carries it for its first draw
            return HTMLResponse(pages.chart_page(kind, title, state.meta(), dict(request.query_params), first))

        async def api(request: Request) -> Response:
            return json_text(fn(state, request.query_params))

        return html, api

    async def actors_html(request: Request) -> Response:
        state.params(request.query_params, ())
        acts = sorted(state.meta()["actor_ids"].values(), key=lambda a: a["id"])
        return HTMLResponse(pages.actors_page(acts))

    async def actors_api(request: Request) -> Response:
        state.params(request.query_params, ())
        acts = sorted(state.meta()["actor_ids"].values(), key=lambda a: a["id"])
        return JSONResponse([{k: a.get(k) for k in ("id", "name", "kind", "ccode", "iso3", "region")} for a in acts])

    def _actor(request: Request) -> dict[str, Any]:
        state.params(request.query_params, ())
        actor = check_id(request.path_params["actor"], "actor")
        if actor not in state.meta()["actor_ids"]:
            raise BadRequest(f"actor: unknown actor {actor!r} (see /actors)")
        return state.cached(views.actor_view, actor, db=state.store)

    async def actor_html(request: Request) -> Response:
        return HTMLResponse(pages.actor_page(_actor(request)))

    async def actor_api(request: Request) -> Response:
        return JSONResponse(_actor(request))

    def _source(request: Request) -> dict[str, Any]:
        state.params(request.query_params, ())
        source = check_id(request.path_params["source"], "source")
        return state.cached(views.source_view, source, db=state.store)

    async def source_html(request: Request) -> Response:
        return HTMLResponse(pages.source_page(_source(request)))

    async def source_api(request: Request) -> Response:
        return JSONResponse(_source(request))

    async def static_file(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in static:
            return error(request, 404, "no such file")
        path, media = static[name]
        return FileResponse(path, media_type=media, headers={"Cache-Control": "max-age=3600"})

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)

    routes = [Route("/", home), Route("/api/meta", meta_api), Route("/favicon.ico", favicon),
              Route("/actors", actors_html), Route("/api/actors", actors_api),
              Route("/actor/{actor:str}", actor_html), Route("/api/actor/{actor:str}", actor_api),
              Route("/source/{source:str}", source_html), Route("/api/source/{source:str}", source_api),
              Route("/static/{name:path}", static_file),
              Route("/index.html", lambda r: RedirectResponse("/"))]
    for kind in _CHARTS:
        html, api = chart_page(kind)
        routes += [Route(f"/{kind}", html), Route(f"/api/{kind}", api)]

    async def bad_request(request: Request, exc: Exception) -> Response:
        return error(request, 400, str(exc))

    async def not_found(request: Request, exc: Exception) -> Response:
        return error(request, getattr(exc, "status_code", 404), getattr(exc, "detail", "not found"))

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        return error(request, 500, "internal error (see the server's log)")

    class Headers:
        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await self.app(scope, receive, send)
                return

            async def send_with_headers(message: Any) -> None:
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", []))
                    headers += [(k.lower().encode(), v.encode()) for k, v in _SECURITY_HEADERS.items()]
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, send_with_headers)

    from starlette.exceptions import HTTPException

    app = Starlette(routes=routes, middleware=[Middleware(Headers)],
                    exception_handlers={BadRequest: bad_request, PactnetError: bad_request,
                                        HTTPException: not_found, Exception: server_error})
    app.state.pactnet = state
    return app


def serve(db: Any = None, *, host: str = "127.0.0.1", port: int = 8050, sim_dir: str | Path | None = None) -> None:
    """Run the dashboard with uvicorn (blocking)."""
    import uvicorn

    app = create_app(db, sim_dir=sim_dir or os.environ.get("PACTNET_SIM_DIR"), warm=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
