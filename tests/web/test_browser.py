"""The dashboard and the HTML report in a real browser (Debian's Chromium via Playwright).

Screenshots go to ``$POWERBALANCE_TEST_ARTIFACTS/web`` when that variable is
set, else to pytest's temporary folder (printed in the test output).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from powerbalance.interfaces.web.pages import NAV

from .browser_support import MARKS, artifacts_dir, chromium, running_server

pytestmark = MARKS


TOKEN = "browser-test-token-0123456789"


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return artifacts_dir(tmp_path_factory, "web-artifacts")


@pytest.fixture(scope="module")
def server(template_store: Path, tmp_path_factory: pytest.TempPathFactory):
    """A real uvicorn server on loopback, writable with TOKEN, on a copy of the store."""
    store = tmp_path_factory.mktemp("browser-store") / "store.duckdb"
    shutil.copyfile(template_store, store)
    with running_server(store, TOKEN) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()


def _unlock(page, server: str) -> None:
    page.goto(f"{server}/unlock")
    page.fill("input[name=token]", TOKEN)
    page.click("#unlock-form button[type=submit]")
    page.wait_for_url(f"{server}/evidence/new")


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_page_loads_and_draws(page, server, artifacts, lang):
    for key, href in NAV:
        page.goto(f"{server}{href}?lang={lang}")
        page.wait_for_load_state("networkidle")
        # every figure on the page was drawn by Plotly
        figures = page.locator("div.figure[data-figure]")
        for i in range(figures.count()):
            figures.nth(i).wait_for(state="attached")
            page.wait_for_function(
                "el => el.getAttribute('data-drawn') === '1'", arg=figures.nth(i).element_handle()
            )
        page.screenshot(path=str(artifacts / f"{key}-{lang}.png"), full_page=True)
    assert page.errors == [], page.errors


def test_triangle_and_numbers_render(page, server, artifacts):
    page.goto(server)
    page.wait_for_selector("#triangle-figure[data-drawn='1'] svg.main-svg")
    ties = page.locator("tr.tie")
    assert ties.count() == 3
    # the weights drawn on the chart are the ones in the table
    drawn = page.locator("#triangle-figure g.textpoint text").evaluate_all(
        "els => els.map(e => e.textContent)"
    )
    listed = [x.strip() for x in page.locator("tr.tie td.num").all_inner_texts()]
    assert set(listed) <= set(drawn)
    assert any("Russia" in t for t in drawn)
    assert page.locator("#configuration").inner_text().strip()
    assert page.locator("tr.headline").count() > 0
    page.screenshot(path=str(artifacts / "triangle.png"))
    assert page.errors == []


def test_add_a_claim_through_the_form(page, server, artifacts):
    _unlock(page, server)
    page.fill("#f-id", "browser.claim_1")
    page.select_option("#f-indicator", "trade.share_of_total")
    page.select_option("#f-actor", "RUS")
    page.select_option("#f-partner", "CHN")
    page.fill("#f-value", "36")
    page.select_option("#f-unit", "percent")
    page.fill("#f-period_start", "2025")
    page.select_option("#f-source", "econ2025")
    page.fill("#f-section", "browser test")
    page.fill(
        "#f-statement",
        "Browser test: China at 36 percent of Russia's trade <script>window.pwned=1</script>",
    )
    page.click("#claim-submit")
    page.wait_for_selector("#added")
    assert "browser.claim_1" in page.locator("#added").inner_text()
    # the script is shown as text and never ran
    assert "<script>" in page.locator("#record-text").inner_text()
    assert page.evaluate("window.pwned") is None
    page.goto(f"{server}/evidence?q=Browser test")
    rows = page.locator("tr.record")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-id") == "browser.claim_1"
    assert page.evaluate("window.pwned") is None
    page.screenshot(path=str(artifacts / "claim-added.png"), full_page=True)


def test_invalid_claim_shows_the_field_error(page, server):
    _unlock(page, server)
    page.fill("#f-id", "browser.claim_bad")
    page.select_option("#f-indicator", "trade.share_of_total")
    page.select_option("#f-actor", "RUS")
    page.select_option("#f-partner", "CHN")
    page.fill("#f-value", "140")
    page.select_option("#f-unit", "percent")
    page.fill("#f-period_start", "2025")
    page.select_option("#f-source", "econ2025")
    page.fill("#f-section", "browser test")
    page.fill("#f-statement", "A share above one hundred percent.")
    page.click("#claim-submit")
    page.wait_for_selector(".error")
    assert "0..100" in page.content()
    assert page.locator("#f-value").input_value() == "140"  # what was typed is kept


def test_run_a_scenario_and_see_its_result(page, server, artifacts):
    _unlock(page, server)
    page.goto(f"{server}/scenarios")
    page.select_option("#scenario-form select[name=name]", "reverse-kissinger")
    page.fill("#scenario-form input[name=draws]", "3000")
    page.fill("#scenario-form input[name=seed]", "7")
    page.click("#scenario-run")
    page.wait_for_selector("#job")
    page.wait_for_selector("#job-result", timeout=120_000)
    page.wait_for_selector("#job-result div.figure[data-drawn='1']")
    assert "reverse-kissinger" in page.locator("h1").inner_text()
    page.screenshot(path=str(artifacts / "scenario-result.png"), full_page=True)
    page.click("#run-link")
    page.wait_for_selector("#run-result div.figure[data-drawn='1']")
    assert page.errors == [], page.errors


def test_report_opens_offline(browser, tmp_path, artifacts):
    """The HTML report draws its charts with every network request refused."""
    from powerbalance.app.report import report_data
    from powerbalance.evidence import load_corpus
    from powerbalance.interfaces.report.build import write_report

    out = write_report(tmp_path / "report.html", report_data(load_corpus()))
    context = browser.new_context(offline=True)
    requests: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            (requests.append(route.request.url), route.continue_())
            if route.request.url.startswith("file:")
            else (requests.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.goto(out.as_uri())
    page.wait_for_selector("div.figure[data-figure='triangle'][data-drawn='1']")
    drawn = page.locator("div.figure[data-drawn='1']").count()
    assert drawn == page.locator("div.figure[data-figure]").count() >= 2
    assert all(u.startswith("file:") for u in requests), requests
    page.screenshot(path=str(artifacts / "report.png"), full_page=False)
    context.close()


def test_history_page_draws_and_a_click_opens_a_year(page, server, artifacts):
    """The History page (issue 18): the timeline is drawn, a click on the figure opens that
    year with its triangle and the evidence behind each tie."""
    page.goto(f"{server}/history")
    page.wait_for_selector("#history-figure[data-drawn='1'] svg.main-svg")
    assert page.locator("#year-strip a.year").count() == 2025 - 1946 + 1
    page.screenshot(path=str(artifacts / "history.png"), full_page=True)
    # a click on a point of the figure (Plotly's click event) opens its year
    with page.expect_navigation():
        page.evaluate(
            "() => document.getElementById('history-figure')"
            ".emit('plotly_click', {points: [{customdata: 2023, x: 2023}]})"
        )
    assert page.url.endswith("/history?year=2023#year")
    page.wait_for_selector("#year-triangle[data-drawn='1'] svg.main-svg")
    assert page.locator("h3.year-tie").count() == 3
    assert page.locator("table.contributions tr.contribution").count() >= 3
    # and a year of the strip opens too
    page.click("#year-strip a[data-year='2015']")
    page.wait_for_url(f"{server}/history?year=2015#year")
    assert page.locator("#year").get_attribute("data-year") == "2015"
    page.screenshot(path=str(artifacts / "history-2015.png"), full_page=True)
    assert page.errors == [], page.errors


def test_report_history_section_draws_offline(browser, tmp_path, artifacts):
    from powerbalance.app.report import report_data
    from powerbalance.evidence import load_corpus
    from powerbalance.interfaces.report.build import write_report

    out = write_report(tmp_path / "report.html", report_data(load_corpus()))
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.goto(out.as_uri())
    page.wait_for_selector("div.figure[data-figure='history'][data-drawn='1'] svg.main-svg")
    assert page.locator("#history-periods tr").count() > 1
    page.locator("#history").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "report-history.png"), full_page=False)
    context.close()
