"""Security of the dashboard: write token, CSRF, escaping, size limits, paths, hosts."""

from __future__ import annotations

from pathlib import Path

import plotly
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerbalance.interfaces.web.security import InsecureBinding, Settings, is_loopback

SCRIPT = "<script>window.pwned=1</script>"


def test_binds_to_loopback_by_default():
    s = Settings()
    assert s.host == "127.0.0.1" and is_loopback(s.host)
    assert not s.writable
    assert "*" not in (s.allowed_hosts or [])


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_short_write_token_is_refused():
    with pytest.raises(InsecureBinding):
        Settings(write_token="short")


def test_read_only_server_refuses_writes(readonly_client, claim_body, token):
    r = readonly_client.post(
        "/api/claims", json=claim_body(), headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 403
    assert "read-only" in r.json()["error"]
    page = readonly_client.get("/evidence/new")
    assert "csrf" not in page.text or "claim-form" not in page.text


def test_wrong_or_missing_token_is_refused(writable_client, claim_body):
    assert writable_client.post("/api/claims", json=claim_body()).status_code == 403
    r = writable_client.post(
        "/api/claims", json=claim_body(), headers={"Authorization": "Bearer wrong-token-xxxxxx"}
    )
    assert r.status_code == 403
    assert writable_client.get("/api/evidence?q=A test claim").json()["total"] == 0


def _unlock(client, token, csrf_of):
    page = client.get("/unlock")
    r = client.post(
        "/unlock", data={"csrf": csrf_of(page.text), "token": token}, follow_redirects=False
    )
    assert r.status_code == 303


def _form(statement: str, csrf: str, claim_id: str = "user.form_claim") -> dict:
    return {
        "csrf": csrf,
        "id": claim_id,
        "indicator": "trade.share_of_total",
        "actor": "CHN",
        "partner": "RUS",
        "value": "4.5",
        "unit": "percent",
        "period_start": "2025",
        "source": "econ2025",
        "section": "form test",
        "statement": statement,
    }


def test_form_needs_unlock_and_csrf(writable_client, token, csrf_of):
    csrf = csrf_of(writable_client.get("/evidence/new").text)
    # not unlocked yet
    r = writable_client.post("/evidence/new", data=_form("Form claim text here.", csrf))
    assert r.status_code == 403 and "unlock" in r.text
    _unlock(writable_client, token, csrf_of)
    # no CSRF token
    bad = _form("Form claim text here.", "")
    assert writable_client.post("/evidence/new", data=bad).status_code == 403
    # a CSRF token of another session
    assert writable_client.post("/evidence/new", data=_form("x" * 20, "ab" * 32)).status_code == 403
    # from another site
    r = writable_client.post(
        "/evidence/new",
        data=_form("Form claim text here.", csrf),
        headers={"Origin": "http://evil.example"},
    )
    assert r.status_code == 403
    # finally the real thing
    r = writable_client.post(
        "/evidence/new", data=_form("Form claim text here.", csrf), follow_redirects=False
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/evidence/user.form_claim?added=1"


def test_unlock_with_wrong_token_fails(writable_client, csrf_of):
    page = writable_client.get("/unlock")
    r = writable_client.post(
        "/unlock", data={"csrf": csrf_of(page.text), "token": "nope-nope-nope"}
    )
    assert r.status_code == 403
    assert "pb_write" not in r.cookies


def test_stored_script_renders_inert(writable_client, token, csrf_of):
    """A claim whose text holds <script> is stored and shown as text, never as markup."""
    _unlock(writable_client, token, csrf_of)
    csrf = csrf_of(writable_client.get("/evidence/new").text)
    r = writable_client.post("/evidence/new", data=_form(f"Injected {SCRIPT} text", csrf))
    assert r.status_code == 200, r.text  # followed the redirect to the record page
    for page in (r.text, writable_client.get("/evidence?q=Injected").text):
        assert SCRIPT not in page
        assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    api = writable_client.get("/api/evidence/user.form_claim").json()
    assert api["text"] == f"Injected {SCRIPT} text"  # data is kept as typed


def test_invalid_form_shows_field_errors(writable_client, token, csrf_of):
    _unlock(writable_client, token, csrf_of)
    csrf = csrf_of(writable_client.get("/evidence/new").text)
    data = _form("Form claim text here.", csrf) | {"value": "250"}
    r = writable_client.post("/evidence/new", data=data)
    assert r.status_code == 422
    assert 'data-field="claim"' in r.text or 'data-field="value"' in r.text
    assert "0..100" in r.text
    data = _form("Form claim text here.", csrf) | {"id": "bad id with spaces"}
    r = writable_client.post("/evidence/new", data=data)
    assert r.status_code == 422 and 'data-field="id"' in r.text


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(alphabet=st.sampled_from(list("<>&\"'/=ab ")), min_size=1, max_size=40))
def test_reflected_search_text_is_escaped(readonly_client, text):
    page = readonly_client.get("/evidence", params={"q": text}).text
    if any(c in text for c in '<>"&'):
        assert f'value="{text.strip()}"' not in page


def test_body_size_limit(writable_client, token):
    big = b'{"id": "' + b"x" * 1_200_000 + b'"}'
    r = writable_client.post(
        "/api/claims",
        content=big,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert r.status_code == 413

    def chunks():
        for _ in range(40):
            yield b"y" * 50_000

    r = writable_client.post(
        "/api/claims", content=chunks(), headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 413


@pytest.mark.parametrize(
    "url",
    [
        "/static/../../pyproject.toml",
        "/static/..%2f..%2fpyproject.toml",
        "/static/%2e%2e/app.py",
        "/static/templates/base.html",
        "/static/__init__.py",
        "/evidence/..%2f..%2fetc%2fpasswd",
        "/api/runs/..%2f..%2fetc%2fpasswd",
    ],
)
def test_no_request_reaches_a_file_path(readonly_client, url):
    r = readonly_client.get(url)
    assert r.status_code in (404, 400), url
    assert "[project]" not in r.text and "root:" not in r.text


def test_unknown_scenario_name_is_never_a_path(writable_client, token):
    r = writable_client.post(
        "/api/scenarios/run",
        json={"name": "../../pyproject.toml"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code in (400, 404)


def test_foreign_host_header_is_refused(readonly_client):
    r = readonly_client.get("/", headers={"Host": "evil.example"})
    assert r.status_code == 400


def test_security_headers(readonly_client):
    r = readonly_client.get("/")
    csp = r.headers["content-security-policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    cookie = r.headers.get("set-cookie", "")
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()


def test_plotly_is_served_from_the_installed_package(readonly_client):
    shipped = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    r = readonly_client.get("/static/plotly.min.js")
    assert r.status_code == 200
    assert r.content == shipped  # the client un-gzips transparently
    assert r.headers["content-encoding"] == "gzip"
    again = readonly_client.get(
        "/static/plotly.min.js", headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304
    assert "cdn" not in readonly_client.get("/").text.lower()


def _scenario_form(client, token, csrf_of) -> str:
    _unlock(client, token, csrf_of)
    return csrf_of(client.get("/scenarios").text)


def test_scenario_upload_size_limit(writable_client, token, csrf_of):
    csrf = _scenario_form(writable_client, token, csrf_of)
    big = b"# padding\n" * 30_000  # 300 kB: above the upload limit, below the body limit
    r = writable_client.post(
        "/scenarios/run",
        data={"csrf": csrf, "draws": "10"},
        files={"file": ("big.toml", big, "text/plain")},
    )
    assert r.status_code == 413


def test_scenario_form_needs_csrf(writable_client, token, csrf_of):
    _scenario_form(writable_client, token, csrf_of)
    r = writable_client.post("/scenarios/run", data={"name": "reverse-kissinger", "csrf": "00"})
    assert r.status_code == 403
    assert writable_client.get("/api/jobs").json() == []


@pytest.mark.slow
def test_uploaded_scenario_runs(writable_client, token, csrf_of):
    """A scenario uploaded through the form is parsed in memory and run in the background."""
    import re
    import time

    from powerbalance.scenarios.schema import bundled_text

    text = bundled_text("china-cuts-oil")
    text = re.sub(r"(?m)^draws\s*=\s*\d+", "draws = 300", text)
    csrf = _scenario_form(writable_client, token, csrf_of)
    r = writable_client.post(
        "/scenarios/run",
        data={"csrf": csrf},
        files={"file": ("mine.toml", text.encode(), "text/plain")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    job_id = r.headers["location"].rsplit("/", 1)[1]
    for _ in range(600):
        job = writable_client.get(f"/api/jobs/{job_id}?result=0").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "done", job["error"]
    assert job["total"] == 300
    page = writable_client.get(f"/scenarios/jobs/{job_id}").text
    assert 'id="job-result"' in page and "scenario-configuration" in page


def test_non_loopback_server_still_needs_the_token(web_store, claim_body, token):
    from fastapi.testclient import TestClient

    from powerbalance.interfaces.web.app import create_app

    app = create_app(
        Settings(
            store_path=web_store,
            host="0.0.0.0",
            write_token=token,
            allowed_hosts=["192.0.2.10"],
        )
    )
    with TestClient(app, base_url="http://192.0.2.10:8000") as client:
        assert client.get("/api/health").status_code == 200
        assert client.post("/api/claims", json=claim_body()).status_code == 403
        ok = client.post(
            "/api/claims", json=claim_body(), headers={"Authorization": f"Bearer {token}"}
        )
        assert ok.status_code == 201


def test_serve_command_prints_the_token_and_binds_loopback(web_store, monkeypatch, capsys):
    from powerbalance.interfaces.cli.main import main
    from powerbalance.interfaces.web import server

    seen = {}

    def fake_run(app, settings):
        seen["app"] = app
        seen["kwargs"] = {"host": settings.host, "port": settings.port}

    monkeypatch.setattr(server, "run", fake_run)
    assert main(["--store", str(web_store), "serve", "--writable", "--port", "8123"]) == 0
    out = capsys.readouterr().out
    settings = seen["app"].state.ctx.settings
    assert seen["kwargs"]["host"] == "127.0.0.1" and seen["kwargs"]["port"] == 8123
    assert settings.write_token and settings.write_token in out
    assert main(["--store", str(web_store), "serve", "--port", "8124"]) == 0
    assert "read-only" in capsys.readouterr().out
    assert not seen["app"].state.ctx.settings.writable
