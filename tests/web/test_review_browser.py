"""The Review page in a real browser (Debian's Chromium via Playwright): unlock with the
token, write a statement, accept, and find the claim on the Evidence page.

Screenshots go to ``$POWERBALANCE_TEST_ARTIFACTS/web`` when that variable is set,
else to pytest's temporary folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from powerbalance.app import ingest as app
from powerbalance.evidence.candidates import Candidate
from powerbalance.evidence.store import open_store

from ..ingest_samples import SampleDoc, trade_candidate
from .browser_support import MARKS, artifacts_dir, chromium, running_server

pytestmark = MARKS


TOKEN = "review-browser-token-0123456789"
SHA = "a1" * 32
SENTENCE = "Rysslands handel med Kina uppgick till 240 miljarder dollar under 2023."
OWN = "Browser review: Russia and China traded goods worth 240 billion dollars in 2023."
DOC = SampleDoc("browser-article.txt", SHA, title="Handeln")


def _candidate(source: str) -> Candidate:
    return trade_candidate(DOC, SENTENCE, record_id="ingest.browser.trade_2023", source=source)


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return artifacts_dir(tmp_path_factory, "review-artifacts")


@pytest.fixture(scope="module")
def server(template_store: Path, tmp_path_factory: pytest.TempPathFactory):
    """A real uvicorn server, writable with TOKEN, on a store holding one pending candidate."""
    folder = tmp_path_factory.mktemp("review-browser")
    store = folder / "store.duckdb"
    shutil.copyfile(template_store, store)
    source, _ = app.source_for(DOC, {"publication": "Browser Daily"})
    with open_store(store) as s:
        app.stage(s, DOC, source, [_candidate(source.id)], review_file=folder / "c.yaml")
    with running_server(store, TOKEN) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def test_review_accept_in_the_browser(browser, server, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        cand = _candidate("x")
        page.goto(f"{server}/review")
        assert page.locator(f"section#{cand.id} mark").inner_text() == "240 miljarder dollar"
        page.click("#review-unlock")
        page.fill("input[name=token]", TOKEN)
        page.click("#unlock-form button[type=submit]")
        page.wait_for_url(f"{server}/review")
        box = page.locator(f"#statement-{cand.id}")
        assert box.input_value() == "" and "240 billion USD" in (
            box.get_attribute("placeholder") or ""
        )
        box.fill(OWN)
        page.fill(f"#edits-{cand.id}", "qualifier=about")
        page.fill(f"#reviewer-{cand.id}", "browser reviewer")
        page.screenshot(path=str(artifacts / "review-before-accept.png"), full_page=True)
        page.click(f"#review-{cand.id} button[value=accept]")
        page.wait_for_selector("#accepted")
        assert "ingest.browser.trade_2023" in page.locator("#accepted").inner_text()
        assert page.locator("#no-pending").count() == 1
        page.screenshot(path=str(artifacts / "review-after-accept.png"), full_page=True)
        page.goto(f"{server}/evidence?q=Browser review")
        rows = page.locator("tr.record")
        assert rows.count() == 1 and "ingest.browser.trade_2023" in rows.first.inner_text()
        rows.first.locator("a[href='/evidence/ingest.browser.trade_2023']").first.click()
        assert OWN in page.locator("#record-text").inner_text()
        body = page.locator("main").inner_text()
        assert "about" in body and "browser reviewer" in body  # the edit and the provenance
        assert errors == [], errors
    finally:
        context.close()
