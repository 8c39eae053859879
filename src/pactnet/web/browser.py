"""Run the dashboard in a background thread and drive it with a guarded headless Chromium (Playwright).

Used by the browser tests, ``benchmarks/dashboard.py`` and ``docs/screenshots.py``. Playwright's own browser builds
are never downloaded: it launches the system's Chromium (:func:`pactnet.viz.export.find_chromium`) with the guard
flags, so no host name resolves but 127.0.0.1, and every request that does not go to the dashboard is aborted and
recorded.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from ..viz.export import GUARD_FLAGS, find_chromium

__all__ = ["running_server", "guarded_browser", "watch_requests", "wait_ready", "move_slider"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(app: Any, *, port: int | None = None) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 in a daemon thread; yields the base URL."""
    import uvicorn

    port = port or _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name="pactnet-dashboard", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the dashboard did not start within 20 s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextlib.contextmanager
def guarded_browser(playwright: Any, *, chromium: str | None = None) -> Iterator[Any]:
    """A headless Chromium launched from the system's binary with the guard flags."""
    path = chromium or find_chromium()
    if path is None:
        raise RuntimeError("no Chromium found (apt-get install chromium, or set PACTNET_CHROMIUM)")
    browser = playwright.chromium.launch(executable_path=path, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", *GUARD_FLAGS])
    try:
        yield browser
    finally:
        browser.close()


def watch_requests(context: Any, base: str) -> list[str]:
    """Abort every request of ``context`` that does not go to ``base``; returns the (growing) list of those URLs.
    Every request is checked, including those of workers and prefetches."""
    outside: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url == base or url.startswith((base + "/", base + "?", base + "#", "data:", "blob:", "about:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    context.route("**/*", route)
    return outside


def wait_ready(page: Any, *, after: int = 0, timeout: float = 15_000) -> None:
    """Wait until the page's script has drawn a response newer than sequence number ``after``."""
    page.wait_for_function(
        "(after) => document.body.dataset.state === 'ready' && Number(document.body.dataset.seq || 0) > after",
        arg=after, timeout=timeout)


def move_slider(page: Any, year: int) -> float:
    """Set the year slider as a user would (an ``input`` event) and wait for the redraw; returns the milliseconds
    from the event to the finished redraw, measured in the page."""
    return page.evaluate(
        """(year) => new Promise((resolve, reject) => {
            const s = document.getElementById('f-year');
            const before = Number(document.body.dataset.seq || 0);
            const t0 = performance.now();
            s.value = String(year);
            s.dispatchEvent(new Event('input', {bubbles: true}));
            const check = () => {
              const b = document.body.dataset;
              if (b.state === 'ready' && Number(b.seq || 0) > before && b.at === String(year)) {
                resolve(performance.now() - t0);
              } else if (b.state === 'error') {
                reject(new Error(document.getElementById('status').textContent));
              } else if (performance.now() - t0 > 15000) {
                reject(new Error('no redraw within 15 s'));
              } else {
                requestAnimationFrame(check);
              }
            };
            requestAnimationFrame(check);
        })""", year)
