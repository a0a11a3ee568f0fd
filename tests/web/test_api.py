"""The JSON API: the same library results as the pages, searchable evidence, writes."""

from __future__ import annotations

import pytest

from powerbalance.evidence.store import open_store
from powerbalance.relations.evidence import derive_relations


def test_health_says_status_version_and_writability(readonly_client):
    from powerbalance import __version__

    data = readonly_client.get("/api/health").json()
    assert data == {"status": "ok", "version": __version__, "writable": False}


def test_openapi_schema_lists_the_api(readonly_client):
    schema = readonly_client.get("/api/openapi.json").json()
    for path in ("/api/overview", "/api/evidence", "/api/claims", "/api/scenarios/run"):
        assert path in schema["paths"], path
    # Pages are not part of the API schema.
    assert "/" not in schema["paths"]


def test_relations_are_the_library_result(readonly_client, store_path):
    """The API shows exactly what ``derive_relations`` computes from the store's evidence."""
    with open_store(store_path, read_only=True) as s:
        expected = [r.to_dict() for r in derive_relations(s.evidence())]
    got = readonly_client.get("/api/relations").json()
    assert got["status"] == "ok"
    assert got["relations"] == expected


def test_overview_headline_numbers_have_sources(readonly_client):
    data = readonly_client.get("/api/overview").json()
    assert data["headline"], "the bundled corpus has claims about the triangle"
    for row in data["headline"]:
        assert row["source"]["publication"], row["id"]
        assert {row["actor"], row["partner"]} <= {"USA", "RUS", "CHN", None}


def test_overview_in_swedish_names_actors_in_swedish(readonly_client):
    data = readonly_client.get("/api/overview?lang=sv").json()
    names = {r["actor_name"] for r in data["headline"]}
    assert "Ryssland" in names or "Kina" in names


def test_evidence_filters(readonly_client):
    claims = readonly_client.get("/api/evidence?kind=claim&limit=1000").json()
    assert claims["total"] > 0
    assert {r["type"] for r in claims["records"]} == {"claim"}
    trade = readonly_client.get("/api/evidence?indicator=trade.*&limit=1000").json()
    assert trade["total"] > 0
    assert all(r["indicator"].startswith("trade.") for r in trade["records"])
    rus = readonly_client.get("/api/evidence?kind=claim&actor=RUS&limit=1000").json()
    assert all("RUS" in (r["actor"], r["partner"]) for r in rus["records"])
    assert rus["total"] < claims["total"] or claims["total"] == rus["total"]
    none = readonly_client.get("/api/evidence?q=zzzz-no-such-text").json()
    assert none == {"total": 0, "offset": 0, "records": []}


def test_evidence_paging(readonly_client):
    first = readonly_client.get("/api/evidence?limit=5&offset=0").json()
    second = readonly_client.get("/api/evidence?limit=5&offset=5").json()
    assert len(first["records"]) == 5
    assert {r["id"] for r in first["records"]}.isdisjoint({r["id"] for r in second["records"]})


def test_bad_query_parameters_are_refused(readonly_client):
    assert readonly_client.get("/api/evidence?kind=nonsense").status_code == 422
    assert readonly_client.get("/api/evidence?limit=0").status_code == 422
    assert readonly_client.get("/api/overview?lang=fr").status_code == 422


def test_unknown_record_is_404_with_suggestion(readonly_client):
    r = readonly_client.get("/api/evidence/econ.trade.rus_chn_total_2025")
    assert r.status_code == 404
    assert "econ.trade.rus_chn_total_2024" in r.json()["error"]


def test_add_claim_with_token_then_listed(writable_client, token, claim_body):
    r = writable_client.post(
        "/api/claims", json=claim_body(), headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 201, r.text
    assert r.json()["origin"] == "user:web"
    found = writable_client.get("/api/evidence?q=A test claim").json()
    assert [x["id"] for x in found["records"]] == ["user.test_claim"]
    # the page lists it too
    assert "user.test_claim" in writable_client.get("/evidence?kind=claim").text


def test_add_claim_validation_errors_name_the_field(writable_client, token, claim_body):
    r = writable_client.post(
        "/api/claims",
        json=claim_body(value=150.0),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 422
    assert "0..100" in r.text
    r = writable_client.post(
        "/api/claims",
        json=claim_body(source="no.such.source"),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 400
    assert "no.such.source" in r.json()["error"]


def test_duplicate_and_bundled_ids_are_refused(writable_client, token, claim_body):
    auth = {"Authorization": f"Bearer {token}"}
    assert writable_client.post("/api/claims", json=claim_body(), headers=auth).status_code == 201
    again = writable_client.post("/api/claims", json=claim_body(), headers=auth)
    assert again.status_code == 400 and "already stored" in again.json()["error"]
    bundled = writable_client.post(
        "/api/claims", json=claim_body("econ.trade.rus_chn_total_2024"), headers=auth
    )
    assert bundled.status_code == 400 and "bundled" in bundled.json()["error"]


def test_datasets_events_bargaining_scenarios_answer(readonly_client):
    for url in ("/api/datasets", "/api/events", "/api/bargaining", "/api/scenarios"):
        r = readonly_client.get(url)
        assert r.status_code == 200, url
    events = readonly_client.get("/api/events").json()
    assert events["events"], "the bundled corpus has dated events"
    from powerbalance.evidence import load_corpus

    assert [e["id"] for e in events["events"]] == [e.id for e in load_corpus().events]


def test_unknown_job_and_run(readonly_client):
    assert readonly_client.get("/api/jobs/deadbeef").status_code == 404
    assert readonly_client.get("/api/runs/no-such-run").status_code == 404


def _wait(client, job_id: str, timeout: float = 120.0) -> dict:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}?result=0").json()
        if job["status"] in ("done", "failed"):
            return client.get(f"/api/jobs/{job_id}").json()
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


@pytest.mark.slow
def test_scenario_runs_in_background_is_stored_and_compared(writable_client, token):
    auth = {"Authorization": f"Bearer {token}"}
    names = [s["name"] for s in writable_client.get("/api/scenarios").json()["bundled"]]
    assert "reverse-kissinger" in names
    ids = []
    for name in ("reverse-kissinger", "china-cuts-oil"):
        r = writable_client.post(
            "/api/scenarios/run", json={"name": name, "draws": 400, "seed": 3}, headers=auth
        )
        assert r.status_code == 202, r.text
        job = _wait(writable_client, r.json()["id"])
        assert job["status"] == "done", job["error"]
        assert job["done"] == job["total"] == 400  # progress came back from the worker
        ids.append(job["result"]["run_id"])
    stored = writable_client.get(f"/api/runs/{ids[0]}").json()
    assert stored["seed"] == 3 and stored["draws"] == 400
    listed = writable_client.get("/api/scenarios").json()["runs"]
    assert {x["id"] for x in listed} == set(ids)
    comparison = writable_client.get(f"/api/compare?a={ids[0]}&b={ids[1]}").json()
    assert comparison["rows"]
    for url in (f"/scenarios/runs/{ids[0]}", f"/scenarios/compare?a={ids[0]}&b={ids[1]}"):
        assert writable_client.get(url).status_code == 200


def test_bad_scenario_requests_are_refused_before_running(writable_client, token):
    auth = {"Authorization": f"Bearer {token}"}
    assert (
        writable_client.post("/api/scenarios/run", json={"draws": 10}, headers=auth).status_code
        == 400
    )
    r = writable_client.post(
        "/api/scenarios/run", json={"name": "reverse-kissinger", "draws": 0}, headers=auth
    )
    assert r.status_code == 422
    r = writable_client.post(
        "/api/scenarios/run", json={"text": "name = 'x'\n[[shocks]]\nbogus = 1\n"}, headers=auth
    )
    assert r.status_code == 400
    assert writable_client.get("/api/jobs").json() == []


def test_a_write_by_another_program_shows_up(readonly_client, web_store, claim_body):
    """The server caches per state of the store file: a CLI import invalidates it."""
    from powerbalance.evidence.models import Claim

    assert readonly_client.get("/api/evidence?q=A test claim").json()["total"] == 0
    with open_store(web_store) as s:  # what `powerbalance evidence import` does
        s.add_records([Claim.model_validate(claim_body())], origin="user:cli", file="cli")
    found = readonly_client.get("/api/evidence?q=A test claim").json()
    assert [r["id"] for r in found["records"]] == ["user.test_claim"]
    assert found["records"][0]["origin"] == "user:cli"


def test_concurrent_misses_compute_once(web_store):
    import threading
    import time

    from powerbalance.interfaces.web.gateway import Gateway

    gateway = Gateway(web_store)
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        return "value"

    threads = [threading.Thread(target=gateway.cached, args=("k", compute)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert gateway.cached("k", compute) == "value" and len(calls) == 1


def _series_file(path) -> None:
    """A small dyad-month series in the engines' output format (cooperative RUS–CHN)."""
    import pandas as pd

    rows = []
    for month in range(1, 7):
        for a, b, coop, conflict in (
            ("CHN", "RUS", 30, 2),
            ("CHN", "USA", 5, 25),
            ("RUS", "USA", 8, 12),
        ):
            n = coop + conflict
            rows.append(
                {
                    "period": pd.Timestamp(2024, month, 1), "actor1": a, "actor2": b,
                    "events": n, "quad1": coop, "quad2": 0, "quad3": conflict, "quad4": 0,
                    "goldstein_sum": 3.0 * coop - 5.0 * conflict,
                    "goldstein_mean": (3.0 * coop - 5.0 * conflict) / n,
                    "tone_mean": 0.0, "mentions": n, "goldstein_mention_mean": 0.0,
                    "tone_mention_mean": 0.0, "period_events": 3 * 40, "share": n / 120,
                }
            )  # fmt: skip
    pd.DataFrame(rows).to_parquet(path)


def test_events_page_shows_a_series_given_at_start(web_store, tmp_path):
    from fastapi.testclient import TestClient

    from powerbalance.interfaces.web.app import create_app
    from powerbalance.interfaces.web.security import Settings

    series = tmp_path / "series.parquet"
    _series_file(series)
    app = create_app(Settings(store_path=web_store, events_file=series))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        data = client.get("/api/events").json()["series"]
        assert data["status"] == "ok", data
        assert [d["label"] for d in data["dyads"]] == ["USA–RUS", "USA–CHN", "RUS–CHN"]
        rus_chn = data["dyads"][2]["points"]
        assert len(rus_chn) == 6
        assert rus_chn[0]["value"] == pytest.approx((30 - 2) / 32)  # net cooperation
        signs = {(r["a"], r["b"]): r["sign"] for r in data["relations"]}
        assert signs[("RUS", "CHN")] == 1 and signs[("USA", "CHN")] == -1
        html = client.get("/events").text
        assert 'id="events-net"' in html and 'class="event-tie"' in html


@pytest.mark.shared_data
def test_verified_claims_show_as_verified(web_store, shared_file):
    """With SIPRI's trade register registered, the arms claims read verified.

    The Economist (12 May 2025) cites SIPRI for China's arms imports 2020–24
    being about 64% below 2015–19, with Russia still the top supplier.
    """
    register = shared_file("sipri/sipri_trade_register_deliveries_1995_2025.csv")
    from fastapi.testclient import TestClient

    from powerbalance.datasets.registry import add_dataset
    from powerbalance.interfaces.web.app import create_app
    from powerbalance.interfaces.web.security import Settings

    with open_store(web_store) as s:
        add_dataset(s, "sipri-register", register)
    app = create_app(Settings(store_path=web_store))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        rows = client.get("/api/evidence?indicator=arms.*").json()["records"]
        status = {r["id"]: r["verification"]["status"] for r in rows}
        assert status["econ.arms.chn_imports_change"] == "verified"
        assert status["econ.arms.chn_top_supplier"] == "verified"
        html = client.get("/evidence?indicator=arms.*").text
        assert html.count('data-verification="verified"') == 2
        datasets = client.get("/api/datasets").json()["cards"]
        assert any(c["id"] == "sipri-register" and c["registration"] for c in datasets)
