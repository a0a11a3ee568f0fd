"""Dashboard scenario jobs: the limit on draws (form and file), the job queue, cited evidence.

Before, the draws of an uploaded or bundled file were never checked (only the
form field, against a constant of its own), any number of jobs could queue up,
and a scenario citing an evidence id that does not exist ran anyway.
"""

from __future__ import annotations

import threading

import pytest

from powerbalance.app.scenarios import ScenarioRequestError, prepare_request
from powerbalance.errors import LimitExceeded, UnknownRecord
from powerbalance.interfaces.web.jobs import JobQueueFull, Jobs
from powerbalance.limits import LIMITS

HEAD = 'name = "up"\ntitle = "uploaded"\n'
WEB = LIMITS["web.scenario.draws"]


def test_max_draws_is_the_limit() -> None:
    assert WEB.maximum == 200_000


def test_form_draws_above_the_limit_are_refused() -> None:
    with pytest.raises(LimitExceeded, match=r"web\.scenario\.draws"):
        prepare_request(name="reverse-kissinger", draws=WEB.maximum + 1)


def test_draws_of_an_uploaded_file_are_held_to_the_web_limit() -> None:
    text = HEAD + f"[montecarlo]\ndraws = {WEB.maximum + 1}\n"
    with pytest.raises(LimitExceeded, match=r"web\.scenario\.draws") as exc:
        prepare_request(text=text)
    assert "[montecarlo]" in str(exc.value)
    # The form's draws, when given, are what runs: then the file's do not matter.
    assert prepare_request(text=text, draws=100).draws == 100


def test_unknown_evidence_in_an_upload_is_refused_before_the_job() -> None:
    text = HEAD + 'evidence = ["st.trump.russ"]\n'
    with pytest.raises(UnknownRecord, match="did you mean") as exc:
        prepare_request(text=text, known_ids={"st.trump.rus", "st.putin.pos2"})
    assert "uploaded scenario, line 3, field 'evidence'" in str(exc.value)


def test_the_job_queue_refuses_more_than_its_limit() -> None:
    jobs = Jobs(processes=False, max_waiting=2)
    release = threading.Event()
    try:
        first = jobs.submit("scenario", "a", lambda progress: release.wait(10))
        jobs.submit("scenario", "b", lambda progress: release.wait(10))
        with pytest.raises(JobQueueFull, match=r"web\.jobs\.queued") as exc:
            jobs.submit("scenario", "c", lambda progress: None)
        assert exc.value.http_status == 429
        assert len(jobs.all()) == 2
        release.set()
        jobs.wait(first.id, timeout=10)
        for job in jobs.all():
            jobs.wait(job.id, timeout=10)
        assert jobs.submit("scenario", "d", lambda progress: 1) is not None
    finally:
        release.set()
        jobs.shutdown()


def test_the_default_queue_limit_is_the_documented_one() -> None:
    jobs = Jobs(processes=False)
    assert jobs._max_waiting == LIMITS["web.jobs.queued"].maximum
    jobs.shutdown()


def test_api_answers_429_when_the_queue_is_full(writable_client, token) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    jobs = writable_client.app.state.ctx.jobs
    release = threading.Event()
    try:
        for i in range(LIMITS["web.jobs.queued"].maximum):
            jobs.submit("scenario", f"blocker-{i}", lambda progress: release.wait(20))
        r = writable_client.post(
            "/api/scenarios/run", json={"name": "reverse-kissinger", "draws": 10}, headers=auth
        )
        assert r.status_code == 429, r.text
        assert "web.jobs.queued" in r.json()["error"] and "Traceback" not in r.text
    finally:
        release.set()


def test_api_refuses_draws_above_the_web_limit_naming_it(writable_client, token) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    r = writable_client.post(
        "/api/scenarios/run",
        json={"name": "reverse-kissinger", "draws": WEB.maximum + 1},
        headers=auth,
    )
    assert r.status_code == 400, r.text
    assert "web.scenario.draws" in r.json()["error"]
    r = writable_client.post(
        "/api/scenarios/run",
        json={"text": HEAD + f"[montecarlo]\ndraws = {WEB.maximum + 1}\n"},
        headers=auth,
    )
    assert r.status_code == 400, r.text
    assert "web.scenario.draws" in r.json()["error"]
    r = writable_client.post(
        "/api/scenarios/run",
        json={"text": HEAD + 'evidence = ["no.such.record"]\n'},
        headers=auth,
    )
    assert r.status_code == 400 and "'no.such.record'" in r.json()["error"], r.text
    assert writable_client.get("/api/jobs").json() == []


@pytest.mark.parametrize(
    "table",
    [
        '[baseline.events]\nfile = "/etc/passwd"\n',
        '[baseline.unvotes]\nfile = "/etc/passwd"\nroll_calls = "/etc/hosts"\n'
        "start = 2000\nend = 2001\n",
    ],
)
def test_an_upload_may_not_read_files_on_the_server(table: str) -> None:
    with pytest.raises(ScenarioRequestError, match="cannot read files on the server"):
        prepare_request(text=HEAD + table)
