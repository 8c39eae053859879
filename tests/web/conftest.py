"""Fixtures of the dashboard tests: the app over the tiny and the shipped knowledge base, a live server on
127.0.0.1 and a guarded headless Chromium (the system's, never a downloaded one)."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed (pip install 'pactnet[web]')")
pytest.importorskip("plotly", reason="the web extra is not installed (pip install 'pactnet[web]')")


@pytest.fixture
def tiny_client(tiny_store):
    from starlette.testclient import TestClient

    from pactnet.web import create_app

    with TestClient(create_app(tiny_store)) as client:
        yield client


@pytest.fixture(scope="session")
def kb_app(kb_store):
    from pactnet.web import create_app

    return create_app(kb_store)


@pytest.fixture(scope="session")
def kb_client(kb_app):
    from starlette.testclient import TestClient

    with TestClient(kb_app) as client:
        yield client


@pytest.fixture(scope="session")
def chromium() -> str:
    """The system's Chromium. Absent on a developer's machine the browser tests skip; in CI (CI set) they fail,
    because .ci/run installs it."""
    from pactnet.viz.export import find_chromium

    path = find_chromium()
    if path is None:
        message = "Chromium not found (apt-get install chromium, or set PACTNET_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run should have installed it")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def live_server(kb_app):
    from pactnet.web.browser import running_server

    with running_server(kb_app) as base:
        yield base


@pytest.fixture(scope="session")
def browser(chromium):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the dev extra)")
    from pactnet.web.browser import guarded_browser

    with sync_api.sync_playwright() as p, guarded_browser(p, chromium=chromium) as b:
        yield b


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh context; at teardown, asserts that no request tried to leave the dashboard."""
    from pactnet.web.browser import watch_requests

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside = watch_requests(context, live_server)
    errors: list[str] = []
    pg = context.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.base = live_server
    pg.errors = errors
    yield pg
    context.close()
    assert outside == [], f"requests tried to leave 127.0.0.1: {outside}"
    assert errors == [], f"errors in the page: {errors}"
