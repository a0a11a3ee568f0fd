"""A scenario's UN-vote baseline may name the dataset registered in the store, by id.

This is the only form an uploaded scenario may use on the dashboard: it names no
file of the server.
"""

from __future__ import annotations

import time

import pytest

from powerbalance.app.scenarios import ScenarioRequestError, prepare_request
from powerbalance.datasets.errors import DatasetNotRegistered
from powerbalance.interfaces.cli.main import main
from powerbalance.scenarios.errors import ScenarioFileError
from powerbalance.scenarios.schema import parse_scenario, resolve_datasets

HEAD = (
    'name = "with-votes"\ntitle = "UN votes from the store"\n'
    'evidence = ["st.putin.usa"]\nrationale = "test (st.putin.usa)"\n'
)
BY_ID = '[baseline.unvotes]\ndataset = "unvotes"\nstart = 2010\nend = 2014\nmeasure = "s_score"\n'


def test_the_dataset_form_parses_and_exactly_one_form_is_given():
    spec = parse_scenario(HEAD + BY_ID).baseline.unvotes
    assert spec.dataset == "unvotes" and spec.file is None
    for table in (
        BY_ID + 'file = "a.rda"\nroll_calls = "b.rda"\n',  # both
        "[baseline.unvotes]\nstart = 2010\nend = 2014\n",  # neither
        '[baseline.unvotes]\ndataset = "cow-nmc"\nstart = 2010\nend = 2014\n',  # another id
    ):
        with pytest.raises(ScenarioFileError):
            parse_scenario(HEAD + table)


def test_resolution_takes_the_registered_files():
    scenario = parse_scenario(HEAD + BY_ID)
    registered = {"unvotes": {"path": "/d/un_votes.rda"}, "unvotes-roll-calls": {"path": "/d/rc"}}
    spec = resolve_datasets(scenario, registered).baseline.unvotes
    assert (spec.file, spec.roll_calls, spec.dataset) == ("/d/un_votes.rda", "/d/rc", None)
    with pytest.raises(DatasetNotRegistered, match="unvotes-roll-calls"):
        resolve_datasets(scenario, {"unvotes": {"path": "/d/un_votes.rda"}})


def test_an_upload_names_the_dataset_not_a_file():
    with pytest.raises(DatasetNotRegistered, match="'unvotes'"):
        prepare_request(text=HEAD + BY_ID, registered={})
    with pytest.raises(ScenarioRequestError, match='dataset = "unvotes"'):
        prepare_request(
            text=HEAD + '[baseline.unvotes]\nfile = "/etc/passwd"\nroll_calls = "/etc/hosts"\n'
            "start = 2000\nend = 2001\n",
            registered={},
        )


@pytest.fixture
def registered_store(fresh_store, shared_file, capsys):
    for dataset, path in (
        ("unvotes", "unvotes/un_votes.rda"),
        ("unvotes-roll-calls", "unvotes/un_roll_calls.rda"),
    ):
        assert (
            main(["--store", str(fresh_store), "data", "add", dataset, str(shared_file(path))]) == 0
        )
    capsys.readouterr()
    return fresh_store


@pytest.mark.shared_data
def test_the_cli_runs_a_scenario_on_the_registered_votes(registered_store, tmp_path, capsys):
    toml = tmp_path / "votes.toml"
    toml.write_text(HEAD + BY_ID)
    argv = ["--store", str(registered_store), "scenario", "run", str(toml), "--draws", "200"]
    assert main([*argv, "--json", "--no-store"]) == 0
    out = capsys.readouterr().out
    assert "USA-RUS=-" in out and "s_score 2010-2014" in out


@pytest.mark.shared_data
def test_the_dashboard_runs_an_uploaded_scenario_on_the_registered_votes(registered_store):
    from fastapi.testclient import TestClient

    from powerbalance.interfaces.web.app import create_app
    from powerbalance.interfaces.web.security import Settings

    token = "registered-votes-token-0123"
    app = create_app(Settings(store_path=registered_store, write_token=token))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        auth = {"Authorization": f"Bearer {token}"}
        r = client.post(
            "/api/scenarios/run", json={"text": HEAD + BY_ID, "draws": 200}, headers=auth
        )
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        deadline = time.monotonic() + 120
        while (job := client.get(f"/api/jobs/{job_id}?result=0").json())["status"] not in (
            "done",
            "failed",
        ):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert job["status"] == "done", job["error"]


def test_resolving_adds_the_registered_un_resolution_files():
    scenario = parse_scenario(HEAD + BY_ID)
    registered = {
        "unvotes": {"path": "/d/un_votes.rda"},
        "unvotes-roll-calls": {"path": "/d/rc"},
        "unga-80": {"path": "/d/80.json"},
        "cow-nmc": {"path": "/d/nmc.csv"},
    }
    spec = resolve_datasets(scenario, registered).baseline.unvotes
    assert spec.resolutions == {"unga-80": "/d/80.json"}


def test_a_file_cannot_list_resolution_files_beside_the_dataset():
    with pytest.raises(ScenarioFileError, match="registrations"):
        parse_scenario(HEAD + BY_ID + '[baseline.unvotes.resolutions]\n"unga-80" = "/etc/hosts"\n')


@pytest.mark.shared_data
def test_the_registered_un_resolutions_carry_a_scenario_to_2025(
    registered_store, shared_file, tmp_path, capsys
):
    """With the UN's own session files registered, [baseline.unvotes] reads 2021-2025."""
    for dataset, path in (
        ("unga-es-11", "unga_resolutions/ES-11.json"),
        *((f"unga-{n}", f"unga_resolutions/{n}.json") for n in range(74, 81)),
        ("unga-2025", "unga_resolutions/unga_2025_resolutions.csv"),
    ):
        argv = ["--store", str(registered_store), "data", "add", dataset, str(shared_file(path))]
        assert main(argv) == 0
    capsys.readouterr()
    toml = tmp_path / "votes.toml"
    toml.write_text(HEAD + BY_ID.replace("start = 2010\nend = 2014", "start = 2021\nend = 2025"))
    argv = ["--store", str(registered_store), "scenario", "run", str(toml), "--draws", "200"]
    assert main([*argv, "--json", "--no-store"]) == 0
    out = capsys.readouterr().out
    assert "s_score 2021-2025" in out and "USA-CHN=-" in out
