"""The dashboard in a real headless Chromium (the system's, driven by Playwright, with the guard flags).

Every test's page aborts and records any request that does not go to the dashboard on 127.0.0.1, and fails at
teardown if there was one, or if the page logged an error (see ``conftest.page``).
"""

from __future__ import annotations

import io

import pytest

from pactnet.viz.figures import LEVEL_COLORS
from pactnet.web.browser import move_slider, wait_ready

pytestmark = pytest.mark.browser


def _pixels_near(png: bytes, hex_colour: str, tol: int = 12) -> int:
    """How many pixels of a screenshot are within ``tol`` of a colour."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    target = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return sum(n for n, rgb in img.getcolors(maxcolors=1 << 24)
               if all(abs(a - b) <= tol for a, b in zip(rgb, target, strict=True)))


def _distinct_colours(png: bytes) -> int:
    from PIL import Image

    return len(Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 24))


def _level(page, pair: str) -> str | None:
    row = page.locator(f'tr[data-pair="{pair}"]')
    return row.get_attribute("data-level") if row.count() else None


def _set_date(page, value: str) -> None:
    before = int(page.evaluate("Number(document.body.dataset.seq || 0)"))
    page.fill("#f-date", value)
    page.dispatch_event("#f-date", "change")
    wait_ready(page, after=before)


def test_the_slider_makes_finland_a_guarantee_after_accession(page, tmp_path):
    page.goto(page.base + "/network?at=2022")
    wait_ready(page)
    assert _level(page, "FIN-USA") == "assurance"
    before = page.screenshot()
    move_slider(page, 2023)
    assert page.locator("#year-out").text_content() == "2023"
    assert _level(page, "FIN-USA") == "guarantee"
    assert "at=2023" in page.url
    move_slider(page, 2010)
    assert _level(page, "FIN-USA") is None  # in 2010 Finland is tied to NATO (the Partnership), not to the US
    _set_date(page, "2023-04-03")
    assert _level(page, "FIN-USA") == "assurance"
    _set_date(page, "2023-04-04")
    assert _level(page, "FIN-USA") == "guarantee"
    # the chart itself was redrawn: one line trace per level present, the legend names the guarantee ties
    assert page.locator("#chart .scatterlayer .trace").count() >= 4
    assert "guarantee" in page.locator("#chart .legend").text_content()
    shot = page.screenshot()
    (tmp_path / "network.png").write_bytes(shot)
    assert shot != before
    assert _pixels_near(shot, LEVEL_COLORS["guarantee"]) > 2_000
    assert _distinct_colours(shot) > 50


def test_a_bad_date_in_the_box_shows_the_servers_message(page):
    page.goto(page.base + "/network?at=2022")
    wait_ready(page)
    page.fill("#f-date", "2023-02-30")
    page.dispatch_event("#f-date", "change")
    page.wait_for_function("() => document.body.dataset.state === 'error'")
    assert "not a calendar date" in page.locator("#status").text_content()
    assert page.errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    page.errors.clear()


def test_the_map_colours_countries_by_level(page, tmp_path):
    page.goto(page.base + "/map?at=2022")
    wait_ready(page)
    assert page.locator("path.choroplethlocation").count() > 50
    assert page.get_attribute('tr[data-actor="FIN"]', "data-level") == "assurance"
    shot = page.screenshot()
    (tmp_path / "map.png").write_bytes(shot)
    assert _pixels_near(shot, LEVEL_COLORS["guarantee"]) > 10_000  # NATO Europe, the Americas, Japan, Australia
    assert _pixels_near(shot, LEVEL_COLORS["hostile"]) > 1_000  # Russia and China
    move_slider(page, 1950)
    assert page.locator('tr[data-actor="FIN"]').count() == 0


def test_open_an_actor_page_and_follow_a_source(page):
    page.goto(page.base + "/actor/FIN")
    assert page.locator("h1").text_content() == "Finland (FIN)"
    rows = page.locator("table.timeline tbody tr")
    assert rows.count() > 10
    assert page.locator('tr[data-id="usa-fin-assurance"]').count() == 1
    assert page.locator(".disagree").count() >= 1  # the briefing and the record disagree somewhere
    link = page.locator('tr[data-id="usa-fin-assurance"] a.source').first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_url(page.base + target)
    assert page.locator(".citation").text_content().strip()
    address = page.locator("a.address")
    assert address.get_attribute("href").startswith("https://")
    assert address.get_attribute("rel") == "noopener noreferrer"
    page.locator("table a").first.click()  # back to a record citing it
    assert "/actor/" in page.url or page.url.endswith("#")


@pytest.mark.parametrize(("path", "text"), [("/portfolio", "guarantee"), ("/changes", "added"),
                                            ("/portfolio?by=driver", "gwot")])
def test_chart_views_draw(page, path, text, tmp_path):
    page.goto(page.base + path)
    wait_ready(page)
    assert text in page.locator("#chart").text_content()
    shot = page.screenshot()
    assert _distinct_colours(shot) > 50
    assert _pixels_near(shot, LEVEL_COLORS["guarantee"]) > 500 or "driver" in path


@pytest.mark.parametrize(("path", "words"), [("/indicators", "pactnet.indicators"), ("/landscape", "import nmc"),
                                             ("/simulation", "--sim-dir")])
def test_views_without_data_explain_themselves(page, path, words):
    page.goto(page.base + path)
    page.wait_for_function("() => document.body.dataset.state === 'empty'")
    assert words in page.locator("#empty").text_content()
    assert page.locator("#chart").is_hidden()


def test_the_overview_links_every_view(page):
    page.goto(page.base + "/")
    for name in ("Network", "Map", "Portfolio", "Actors", "Indicators", "Landscape", "Simulation"):
        assert page.locator("header nav a", has_text=name).count() == 1
    page.locator("header nav a", has_text="Actors").click()
    page.locator('a[href="/actor/PAK"]').click()
    assert page.locator("h1").text_content() == "Pakistan (PAK)"
