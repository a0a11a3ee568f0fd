"""``powerbalance history``: JSON, timeline, plot, refusals; and the real data where present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powerbalance.interfaces.cli.main import main


def run(capsys, store: Path, *args: str) -> tuple[int, str, str]:
    rc = main(["--store", str(store), "history", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def test_cli_channel_names_are_the_relations_channels():
    from powerbalance.interfaces.cli.history import CHANNEL_NAMES
    from powerbalance.relations.history import CHANNELS

    assert CHANNEL_NAMES == CHANNELS


def test_json_has_every_year_with_ties_contributions_and_transitions(capsys, tmp_path):
    """Without datasets, the events channel (the bundled corpus's dated events) still runs."""
    rc, out, err = run(capsys, tmp_path / "s.duckdb", "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert [y["year"] for y in data["years"]] == list(range(1946, 2026))
    assert data["rule"]["id"] == "history-fusion-v1"
    assert "events" in data["channels_run"]
    assert set(data["channels_missing"]) >= {"un_votes", "alliances", "disputes"}
    assert all("register" in why or "data" in why for why in data["channels_missing"].values())
    for y in data["years"]:
        for t in y["ties"]:
            assert {"sign", "strength", "uncertainty", "contributions", "rule"} <= set(t)
            assert t["rule"] == "history-fusion-v1"
            assert sum(c["contribution"] for c in t["contributions"]) == pytest.approx(t["value"])
    for t in data["transitions"]:
        assert t["flipped"] and {"year", "configuration_before", "configuration_after"} <= set(t)
        assert isinstance(t["channels"], list)


def test_timeline_table_and_missing_channels_are_shown(capsys, tmp_path):
    rc, out, err = run(capsys, tmp_path / "s.duckdb", "--from", "1970", "--to", "1980")
    assert rc == 0, err
    assert "Timeline" in out and "history-fusion-v1" in out
    assert "missing un_votes" in out


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_plot_is_written(capsys, tmp_path, suffix):
    plot = tmp_path / f"history.{suffix}"
    rc, _, err = run(capsys, tmp_path / "s.duckdb", "--channels", "events", "--plot", str(plot))
    assert rc == 0, err
    head = plot.read_bytes()[:200]
    assert head.startswith(b"\x89PNG") if suffix == "png" else b"<svg" in plot.read_bytes()[:2000]


def test_rule_file_changes_the_weights_and_the_version_travels(capsys, tmp_path):
    rule = tmp_path / "mine.toml"
    rule.write_text(
        '[rule]\nname = "events-only"\nversion = "7"\n[channels.events]\nweight = 1\n',
        encoding="utf-8",
    )
    rc, out, err = run(capsys, tmp_path / "s.duckdb", "--rule", str(rule), "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert data["rule"]["id"] == "events-only-v7" and data["rule"]["file"] == str(rule)
    assert {t["rule"] for y in data["years"] for t in y["ties"]} <= {"events-only-v7"}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--from", "1900"], "--from 1900 is outside the history"),
        (["--to", "3000"], "--to 3000 is outside the history"),
        (["--from", "2000", "--to", "1990"], "--from 2000 is after --to 1990"),
        (["--channels", "un_vote"], "unknown channel 'un_vote'; did you mean un_votes"),
        (["--channels", "events,nope"], "unknown channel 'nope'"),
        (["--plot", "history.pdf"], "a plot is written as .png or .svg"),
        (["--plot", "/no/such/folder/h.png"], "does not exist"),
        (["--data-dir", "/no/such/folder"], "no such folder"),
        (["--rule", "/no/such/rule.toml"], "/no/such/rule.toml: no such file"),
    ],
)
def test_bad_input_is_one_line(capsys, tmp_path, args, words):
    rc, _, err = run(capsys, tmp_path / "s.duckdb", *args)
    assert rc == 2
    assert words in err, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_bad_rule_file_names_its_line_and_field(capsys, tmp_path):
    rule = tmp_path / "bad.toml"
    rule.write_text(
        '[rule]\nname = "x"\nversion = "1"\n[channels.disputes]\nweight = "a lot"\n',
        encoding="utf-8",
    )
    rc, _, err = run(capsys, tmp_path / "s.duckdb", "--rule", str(rule))
    assert rc == 2
    assert f"{rule}, line 5, field 'channels.disputes.weight': must be a number" in err
    assert err.count("\n") == 1


# --- the real datasets (skipped without ../shared/data) ------------------------------------


@pytest.fixture(scope="module")
def real_history(tmp_path_factory, shared_data):
    from powerbalance.app import history as use
    from powerbalance.evidence.store import open_store

    store = tmp_path_factory.mktemp("history-store") / "s.duckdb"
    with open_store(store) as s:
        result = use.store_history(s, use.history_query(data_dir=shared_data))
    if len(result.channels_run) < 6:
        pytest.skip(f"only {result.channels_run} of the channels' datasets are in ../shared/data")
    return result


def test_real_data_every_year_from_1949_has_three_ties_and_a_configuration(real_history):
    d = real_history.to_dict()
    years = {y["year"]: y for y in d["years"]}
    for year in range(1949, 2026):
        y = years[year]
        assert len(y["ties"]) == 3, year
        assert y["configuration"] is not None, year
        assert set(y["roles"]) == {"USA", "RUS", "CHN"}
    # before the PRC there is no USA-CHN or RUS-CHN tie, so no triangle
    assert years[1946]["configuration"] is None
    assert set(years[1946]["ties_missing"]) == {"USA-CHN", "RUS-CHN"}
    assert "un_votes" in d["channels_run"] and "disputes" in d["channels_run"]
    assert set(d["seconds"]) >= set(d["channels_run"])


def test_real_data_known_points(real_history):
    """Points no reasonable rule can miss: the Sino-Soviet alliance against the US in the
    early 1950s (treaty, Soviet arms, the Korean War) and Russia and China together against
    the US after 2022."""
    h = real_history.history
    for year in (1951, 1952, 1953):
        assert h.year(year).configuration == "stable marriage", year
        assert h.year(year).roles["USA"] == "outcast", year
    assert h.year(2023).configuration == "stable marriage"
    assert h.year(2023).roles["USA"] == "outcast"
    usa_chn_1951 = h.year(1951).ties[1]
    assert usa_chn_1951 is not None and usa_chn_1951.contribution("disputes") < 0  # Korea
