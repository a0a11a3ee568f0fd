"""Fixtures for the dashboard tests: an app on a fresh store, with and without a write token."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from powerbalance.interfaces.web.app import create_app
from powerbalance.interfaces.web.security import Settings

TOKEN = "test-write-token-0123456789"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def web_store(store_path: Path, template_store: Path) -> Path:
    shutil.copyfile(template_store, store_path)
    return store_path


@pytest.fixture
def writable_client(web_store: Path):
    app = create_app(Settings(store_path=web_store, write_token=TOKEN))
    with TestClient(app, base_url=BASE) as client:
        yield client


@pytest.fixture
def readonly_client(web_store: Path):
    app = create_app(Settings(store_path=web_store))
    with TestClient(app, base_url=BASE) as client:
        yield client


@pytest.fixture
def token() -> str:
    return TOKEN


def _csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert m, "the page has no CSRF field"
    return m.group(1)


@pytest.fixture
def csrf_of():
    """Return a function giving the CSRF token a page's form carries."""
    return _csrf_of


def _claim_body(claim_id: str = "user.test_claim", **changes) -> dict:
    body = {
        "id": claim_id,
        "indicator": "trade.share_of_total",
        "actor": "RUS",
        "partner": "CHN",
        "value": 35.5,
        "unit": "percent",
        "period": 2025,
        "source": "econ2025",
        "section": "test",
        "statement": "A test claim: China's share of Russia's trade in 2025.",
    }
    body.update(changes)
    return body


@pytest.fixture
def claim_body():
    """Return a function building a valid claim as JSON (changes override fields)."""
    return _claim_body
