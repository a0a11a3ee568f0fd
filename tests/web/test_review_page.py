"""The dashboard's Review page: pending candidates, accept and reject behind the write token."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from powerbalance import i18n
from powerbalance.app import ingest as app
from powerbalance.evidence.candidates import Candidate
from powerbalance.evidence.store import open_store
from powerbalance.interfaces.web.app import create_app
from powerbalance.interfaces.web.security import Settings

from ..ingest_samples import SampleDoc, trade_candidate

BASE = "http://127.0.0.1:8000"
SHA = "ef" * 32
SENTENCE = "Handeln mellan Ryssland och Kina uppgick till 240 miljarder dollar under 2023."
OWN = "Russia–China goods trade came to about 240 billion US dollars in 2023."


DOC = SampleDoc("svd.txt", SHA, title="Handeln")


def _candidate(year: int, source: str) -> Candidate:
    return trade_candidate(
        DOC, SENTENCE, record_id=f"ingest.svd.trade_{year}", source=source, year=year
    )


@pytest.fixture
def staged(web_store: Path, tmp_path: Path) -> tuple[Path, list[Candidate]]:
    source, _ = app.source_for(DOC, {"publication": "Svenska Dagbladet"})
    cands = [_candidate(2023, source.id), _candidate(2022, source.id)]
    with open_store(web_store) as s:
        app.stage(s, DOC, source, cands, review_file=tmp_path / "svd.candidates.yaml")
    return web_store, cands


@pytest.fixture
def client(staged, token):
    app_ = create_app(Settings(store_path=staged[0], write_token=token))
    with TestClient(app_, base_url=BASE) as c:
        yield c


def _rows(path: Path) -> list[tuple[str, str, str]]:
    with open_store(path, read_only=True) as s:
        return s.evidence_rows()


def _unlock(client: TestClient, token: str, csrf_of) -> None:
    page = client.get("/unlock?next=/review")
    assert 'name="next" value="/review"' in page.text
    r = client.post(
        "/unlock",
        data={"csrf": csrf_of(page.text), "token": token, "next": "/review"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/review"


def test_the_page_lists_pending_candidates(client, staged):
    _, cands = staged
    html = client.get("/review").text
    for c in cands:
        assert f'id="{c.id}"' in html
    assert "<mark>240 miljarder dollar</mark>" in html
    # the statement box is empty, the template only its placeholder
    assert f'placeholder="{cands[0].record["statement"]}"></textarea>' in html
    assert 'href="/review"' in html  # in the navigation


def test_swedish_labels(client):
    html = client.get("/review?lang=sv").text
    assert i18n.label("review_title", "sv") in html and i18n.label("accept", "sv") in html


def test_writing_needs_the_token(client, staged, csrf_of):
    path, (first, _) = staged
    before = _rows(path)
    csrf = csrf_of(client.get("/review").text)
    r = client.post(
        f"/review/{first.id}", data={"csrf": csrf, "statement": OWN, "action": "accept"}
    )
    assert r.status_code == 403 and "/unlock" in r.text
    assert _rows(path) == before


def test_a_read_only_server_refuses(staged, csrf_of):
    path, (first, _) = staged
    with TestClient(create_app(Settings(store_path=path)), base_url=BASE) as c:
        html = c.get("/review").text
        assert "<form" not in html.split("<main>", 1)[1]
        r = c.post(f"/review/{first.id}", data={"statement": OWN, "action": "accept"})
    assert r.status_code == 403


def test_accept_through_the_page(client, staged, token, csrf_of):
    path, (first, second) = staged
    _unlock(client, token, csrf_of)
    csrf = csrf_of(client.get("/review").text)
    r = client.post(
        f"/review/{first.id}",
        data={"csrf": csrf, "statement": OWN, "reviewer": "web tester", "action": "accept"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert (
        r.headers["location"] == "/review?accepted=ingest.svd.trade_2023&verification=unverifiable"
    )
    page = client.get(r.headers["location"]).text
    assert 'href="/evidence/ingest.svd.trade_2023"' in page and f'id="{first.id}"' not in page
    assert f'id="{second.id}"' in page
    record = client.get("/evidence/ingest.svd.trade_2023")
    assert record.status_code == 200 and OWN in record.text
    with open_store(path, read_only=True) as s:
        stored = s.get("ingest.svd.trade_2023")
    provenance = getattr(stored, "provenance", None)
    assert provenance is not None and provenance.accepted_by == "web tester"
    # the record page and the API show where it was read and who accepted it
    assert "web tester" in record.text and provenance.document_sha256 in record.text
    api = client.get("/api/evidence/ingest.svd.trade_2023").json()
    assert api["provenance"]["start"] == provenance.start
    assert api["provenance"]["end"] == provenance.end


def test_a_copied_statement_is_refused_on_the_page(client, staged, token, csrf_of):
    path, (first, _) = staged
    _unlock(client, token, csrf_of)
    before = _rows(path)
    csrf = csrf_of(client.get("/review").text)
    r = client.post(
        f"/review/{first.id}", data={"csrf": csrf, "statement": SENTENCE, "action": "accept"}
    )
    assert r.status_code == 422 and "own words" in r.text
    assert _rows(path) == before


def test_reject_through_the_page(client, staged, token, csrf_of):
    path, (first, _) = staged
    _unlock(client, token, csrf_of)
    before = _rows(path)
    csrf = csrf_of(client.get("/review").text)
    r = client.post(
        f"/review/{first.id}", data={"csrf": csrf, "action": "reject"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == f"/review?rejected={first.id}"
    assert _rows(path) == before
    assert f'id="{first.id}"' not in client.get("/review").text


def test_unlock_goes_back_only_to_known_pages(client, token, csrf_of):
    page = client.get("/unlock?next=https://evil.example/")
    assert 'name="next"' not in page.text
    r = client.post(
        "/unlock",
        data={"csrf": csrf_of(page.text), "token": token, "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/evidence/new"


def test_fields_are_edited_on_the_page(client, staged, token, csrf_of):
    path, (first, _) = staged
    _unlock(client, token, csrf_of)
    page = client.get("/review").text
    assert f'id="edits-{first.id}"' in page
    r = client.post(
        f"/review/{first.id}",
        data={
            "csrf": csrf_of(page),
            "statement": OWN.replace("240", "241"),
            "edits": "value=241\r\nqualifier=about\r\n",
            "action": "accept",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    with open_store(path, read_only=True) as s:
        stored = s.get("ingest.svd.trade_2023")
    assert (stored.value, stored.qualifier) == (241, "about")


@pytest.mark.parametrize(
    ("edits", "words", "field"),
    [
        ("value=lots", "value", "value"),
        ("source=elsewhere", "cannot be edited", "source"),
        ("value 241", "FIELD=VALUE", None),
    ],
)
def test_a_bad_edit_is_refused_with_its_field_and_nothing_stored(
    client, staged, token, csrf_of, edits, words, field
):
    path, (first, _) = staged
    _unlock(client, token, csrf_of)
    before = _rows(path)
    r = client.post(
        f"/review/{first.id}",
        data={
            "csrf": csrf_of(client.get("/review").text),
            "statement": OWN,
            "edits": edits,
            "action": "accept",
        },
    )
    assert r.status_code == 422 and words in r.text
    assert edits in r.text  # the edits come back to be corrected
    if field:
        assert f'data-field="{field}"' in r.text
    assert _rows(path) == before
    assert f'id="{first.id}"' in r.text
