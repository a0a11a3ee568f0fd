"""/api/bargaining: an unknown set is a 404 naming the known sets, never silently another set."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from powerbalance.interfaces.web.app import create_app
from powerbalance.interfaces.web.security import Settings


@pytest.fixture
def client(tmp_path: Path):
    app = create_app(Settings(store_path=tmp_path / "store.duckdb"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        yield c


def test_unknown_set_is_404_naming_the_known_sets(client: TestClient) -> None:
    r = client.get("/api/bargaining", params={"set": "nosuch"})
    assert r.status_code == 404
    body = r.json()
    assert body["known"] == ["russia-alignment", "us-russia"]
    assert "unknown actor set 'nosuch'" in body["error"]
    assert "russia-alignment, us-russia" in body["error"]


def test_near_miss_suggests_the_set(client: TestClient) -> None:
    r = client.get("/api/bargaining", params={"set": "us-rusia"})
    assert r.status_code == 404 and "did you mean 'us-russia'" in r.json()["error"]


def test_unknown_model_is_400_naming_the_models(client: TestClient) -> None:
    r = client.get("/api/bargaining", params={"set": "us-russia", "model": "nosuch"})
    assert r.status_code == 400
    assert r.json()["known"][:4] == ["mean", "median", "eu", "pce"]


def test_known_set_is_served(client: TestClient) -> None:
    r = client.get("/api/bargaining", params={"set": "russia-alignment", "model": "median"})
    assert r.status_code == 200
    body = r.json()
    assert body["set"] == "russia-alignment" and body["model"] == "median"
