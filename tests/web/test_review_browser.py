"""The Review page in a real browser (Debian's Chromium via Playwright): unlock with the
token, write a statement, accept, and find the claim on the Evidence page.

Screenshots go to ``$POWERBALANCE_TEST_ARTIFACTS/web`` when that variable is set,
else to pytest's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from datetime import date
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")
import uvicorn  # noqa: E402  (a core dependency)

from powerbalance.app import ingest as app  # noqa: E402
from powerbalance.evidence.candidates import Candidate  # noqa: E402
from powerbalance.evidence.store import open_store  # noqa: E402
from powerbalance.interfaces.web.app import create_app  # noqa: E402
from powerbalance.interfaces.web.security import Settings  # noqa: E402

TOKEN = "review-browser-token-0123456789"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHA = "a1" * 32
SENTENCE = "Rysslands handel med Kina uppgick till 240 miljarder dollar under 2023."
OWN = "Browser review: Russia and China traded goods worth 240 billion dollars in 2023."


class Doc:
    name = "browser-article.txt"
    sha256 = SHA
    language = "sv"
    title = "Handeln"
    date = date(2025, 5, 14)


def _candidate(source: str) -> Candidate:
    return Candidate(
        id=Candidate.make_id(SHA, "claim", 0, len(SENTENCE), "240"),
        kind="claim",
        record={
            "id": "ingest.browser.trade_2023",
            "indicator": "trade.bilateral.total",
            "actor": "RUS",
            "partner": "CHN",
            "value": 240,
            "unit": "money",
            "currency": "USD",
            "scale": 1e9,
            "period": 2023,
            "source": source,
            "section": "ingested",
            "statement": "Trade between RUS and CHN: 240 billion USD in 2023.",
        },
        document=Doc.name,
        document_sha256=SHA,
        language="sv",
        sentence=SENTENCE,
        start=0,
        end=len(SENTENCE),
        match="240 miljarder dollar",
        confidence=0.7,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = os.environ.get("POWERBALANCE_TEST_ARTIFACTS")
    path = Path(root) / "web" if root else tmp_path_factory.mktemp("review-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def server(template_store: Path, tmp_path_factory: pytest.TempPathFactory):
    """A real uvicorn server, writable with TOKEN, on a store holding one pending candidate."""
    folder = tmp_path_factory.mktemp("review-browser")
    store = folder / "store.duckdb"
    shutil.copyfile(template_store, store)
    source, _ = app.source_for(Doc(), {"publication": "Browser Daily"})
    with open_store(store) as s:
        app.stage(s, Doc(), source, [_candidate(source.id)], review_file=folder / "c.yaml")
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(
            create_app(Settings(store_path=store, port=port, write_token=TOKEN)),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


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
