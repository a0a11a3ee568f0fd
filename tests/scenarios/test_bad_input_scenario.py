"""Bad scenario files and requests: one line naming file, line and field, exit 2, store unchanged.

Each case was a traceback (binary, latin-1), a raw pydantic message ("Field
required", "Input should ..."), a silent run (NaN or infinite shocks, an evidence
id that does not exist) or a run beyond the limit on draws before. The command
line cases go through ``main([...])`` on a throwaway store.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path

import pytest

from powerbalance.errors import LimitExceeded, UnknownRecord
from powerbalance.evidence import load_corpus
from powerbalance.evidence.store import open_store
from powerbalance.interfaces.cli.main import main
from powerbalance.limits import LIMITS
from powerbalance.scenarios.errors import ScenarioFileError
from powerbalance.scenarios.montecarlo import run_scenario
from powerbalance.scenarios.schema import (
    decode_scenario,
    line_of,
    load_scenario,
    parse_scenario,
)

HEAD = 'name = "t"\ntitle = "test"\n'
SHOCK = '[[shock]]\nchannel = "sanctions"\na = "USA"\nb = "RUS"\nop = "set"\n'
PYDANTIC_WORDS = ("Input should", "Field required", "Value error,", "String should", "type=")


@pytest.fixture
def store(fresh_store: Path) -> Path:
    """A copy of the filled store (the root conftest's)."""
    return fresh_store


def _state(store: Path) -> tuple[int, int]:
    with open_store(store, read_only=True) as s:
        runs = s.row_count("runs")
        records = s.row_count("evidence")
    return runs, records


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refuse(capsys, store: Path, argv: list[str]) -> str:
    """Run the command; assert exit 2, one line `error: ...`, no traceback, store unchanged."""
    before, digest = _state(store), _digest(store)
    rc = main(["--store", str(store), *argv])
    out, err = capsys.readouterr()
    text = out + err
    assert rc == 2, text
    assert "Traceback" not in text
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert not any(w in text for w in PYDANTIC_WORDS), text
    assert _state(store) == before and _digest(store) == digest
    return " ".join(lines[0].split())  # rich may wrap a long line


CASES = {
    "random.toml": (bytes(range(256)) * 3, "line 1", "binary"),
    "latin1.toml": (HEAD.encode() + 'note = "Zürich"\n'.encode("latin-1"), "line 3", "UTF-8"),
    "latin1_title.toml": ('name = "t"\ntitle = "Zürich"\n'.encode("latin-1"), "line 2", "'title'"),
    "truncated.toml": ((HEAD + SHOCK + 'value = {dist = "uni').encode(), "line 8", "cut short"),
    "empty.toml": (b"", "empty.toml", "name and title"),
    "types.toml": (b'name = 5\ntitle = "t"\n', "line 1", "field 'name': must be text"),
    "pattern.toml": (b'name = "My Scenario"\ntitle = "t"\n', "line 1", "lowercase letters"),
    "missing_title.toml": (b'name = "x"\n', "field 'title'", "required"),
    "nan.toml": ((HEAD + SHOCK + "value = nan\n").encode(), "line 8", "finite number"),
    "inf.toml": ((HEAD + SHOCK + "value = inf\n").encode(), "line 8", "finite number"),
    "nan_low.toml": (
        (HEAD + SHOCK + 'value = {dist = "uniform", low = nan, high = 0.5}\n').encode(),
        "line 8",
        "'shock[1].value.low': must be a finite number",
    ),
    "huge_trade.toml": (
        (
            HEAD + '[[shock]]\nchannel = "trade"\na = "USA"\nb = "RUS"\nop = "set"\nvalue = 1e308\n'
        ).encode(),
        "line 8",
        "must lie in [0, 100000]",
    ),
    "huge_scale.toml": (
        (
            HEAD + '[[shock]]\nchannel = "trade"\na = "USA"\nb = "RUS"\nop = "scale"\nvalue = 1e9\n'
        ).encode(),
        "line 8",
        "must lie in [0, 100]",
    ),
    "string_value.toml": (
        (HEAD + SHOCK + 'value = "high"\n').encode(),
        "line 8",
        "a number or a distribution",
    ),
    "huge_int.toml": (
        (HEAD + "[montecarlo]\ndraws = 99999999999999999999\n").encode(),
        "line 4",
        "limit 'scenario.draws'",
    ),
    "float_draws.toml": (
        (HEAD + "[montecarlo]\ndraws = 2.5\n").encode(),
        "line 4",
        "must be a whole number",
    ),
    "negative_draws.toml": (
        (HEAD + "[montecarlo]\ndraws = -5\n").encode(),
        "line 4",
        "must be at least 1",
    ),
    "bad_date.toml": (
        (HEAD + "[baseline]\nas_of = 2025-02-30\n").encode(),
        "line 4",
        "not valid TOML",
    ),
    "string_date.toml": (
        (HEAD + '[baseline]\nas_of = "yesterday"\n').encode(),
        "line 4",
        "must be a date",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_scenario_file_names_file_line_and_field(capsys, store, tmp_path, name) -> None:
    data, where, words = CASES[name]
    f = tmp_path / name
    f.write_bytes(data)
    msg = refuse(capsys, store, ["scenario", "run", str(f), "--json"])
    assert name in msg and where in msg and words in msg, msg


def test_random_bytes_without_nul_are_refused_as_not_utf8(capsys, store, tmp_path) -> None:
    f = tmp_path / "noise.toml"
    f.write_bytes(bytes(b for b in os.urandom(4000) if b) + b"\xff")
    msg = refuse(capsys, store, ["scenario", "run", str(f)])
    assert "noise.toml, line" in msg and ("UTF-8" in msg or "TOML" in msg), msg


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    text = ("\ufeff" + HEAD).encode("utf-8")
    assert parse_scenario(decode_scenario(text, file="bom.toml")).name == "t"


def test_unknown_evidence_id_is_refused_with_close_matches(capsys, store, tmp_path) -> None:
    f = tmp_path / "cites.toml"
    f.write_text(HEAD + SHOCK + 'value = 0.5\nevidence = ["st.trump.russ"]\n')
    msg = refuse(capsys, store, ["scenario", "run", str(f)])
    assert "cites.toml, line 9, field 'shock[1].evidence'" in msg
    assert "unknown record 'st.trump.russ'" in msg and "'st.trump.rus'" in msg


def test_unknown_top_level_evidence_id_is_refused(capsys, store, tmp_path) -> None:
    f = tmp_path / "top.toml"
    f.write_text(HEAD + 'evidence = ["no-such-claim-at-all"]\n')
    msg = refuse(capsys, store, ["scenario", "run", str(f), "--no-store"])
    assert "top.toml, line 3, field 'evidence'" in msg and "'no-such-claim-at-all'" in msg


def test_the_library_refuses_unknown_evidence_too() -> None:
    s = parse_scenario(HEAD + 'evidence = ["st.trump.russ"]\n')
    with pytest.raises(UnknownRecord, match=r"did you mean 'st\.trump\.rus'"):
        run_scenario(s, load_corpus(), draws=10)


def test_draws_above_the_limit_are_refused_on_the_command_line(capsys, store) -> None:
    too_many = LIMITS["scenario.draws"].maximum + 1
    msg = refuse(capsys, store, ["scenario", "run", "reverse-kissinger", "--draws", str(too_many)])
    assert "--draws" in msg and "limit 'scenario.draws'" in msg and "1,000,000" in msg


def test_draws_above_the_limit_in_the_file_are_refused(capsys, store, tmp_path) -> None:
    f = tmp_path / "many.toml"
    f.write_text(HEAD + "[montecarlo]\nseed = 1\ndraws = 5000000\n")
    msg = refuse(capsys, store, ["scenario", "run", str(f)])
    assert "many.toml, line 5, field 'montecarlo.draws'" in msg
    assert "limit 'scenario.draws'" in msg


def test_the_library_entry_point_holds_every_path_to_the_limit() -> None:
    s = parse_scenario(HEAD)
    with pytest.raises(LimitExceeded, match=r"scenario\.draws"):
        run_scenario(s, load_corpus(), draws=LIMITS["scenario.draws"].maximum + 1)
    with pytest.raises(LimitExceeded, match="at least 1"):
        run_scenario(s, load_corpus(), draws=0)
    # A scenario object built around the parser (model_copy) is still held to the limit.
    big = s.model_copy(update={"montecarlo": s.montecarlo.model_copy(update={"draws": 2_000_000})})
    with pytest.raises(LimitExceeded, match=r"\[montecarlo\] draws"):
        run_scenario(big, load_corpus())


def test_a_good_run_still_works_and_progress_stays_off_stdout(capsys, store, monkeypatch) -> None:
    from powerbalance.interfaces.cli import _common
    from powerbalance.interfaces.cli import scenario as cli

    class Often(_common.ProgressReporter):
        def __init__(self, what: str, **kw: object) -> None:
            super().__init__(what, every=0.0)

    monkeypatch.setattr(cli, "ProgressReporter", Often)
    rc = main(
        ["--store", str(store), "scenario", "run", "reverse-kissinger", "-n", "300", "--json"]
    )
    out, err = capsys.readouterr()
    assert rc == 0, err
    data = json.loads(out)  # stdout is the JSON and nothing else
    assert data["draws"] == 300
    assert "draws: 300/300 (100%)" in err or "bargaining models:" in err, err


def test_line_of_finds_keys_in_tables_arrays_and_inline_tables() -> None:
    text = (
        HEAD
        + SHOCK
        + "value = 0.5\n"
        + "[[shock]]\nchannel = 'relation'\nvalue = {dist = 'uniform', low = 0, high = 1}\n"
        + "[models.bargaining]\nmodel_draws = 5\n"
    )
    assert line_of(text, ("shock", 0, "value")) == 8
    assert line_of(text, ("shock", 1, "value", "low")) == 11
    assert line_of(text, ("shock", 1, "a")) == 9  # the table's header when the key is absent
    assert line_of(text, ("models", "bargaining", "model_draws")) == 13
    assert line_of(text, ("nothing",)) is None


def test_bundled_scenarios_still_load() -> None:
    for name in ("reverse-kissinger", "china-cuts-oil"):
        s = load_scenario(name)
        assert all(math.isfinite(float(v)) for v in [s.montecarlo.draws])


def test_a_folder_or_unreadable_path_is_refused(tmp_path) -> None:
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    with pytest.raises(ScenarioFileError, match="no such file"):
        load_scenario(folder)


def test_a_missing_unvotes_file_is_refused_not_a_traceback(capsys, store, tmp_path) -> None:
    f = tmp_path / "votes.toml"
    f.write_text(
        HEAD
        + '[baseline.unvotes]\nfile = "a.rda"\nroll_calls = "b.rda"\nstart = 2000\nend = 2001\n'
    )
    msg = refuse(capsys, store, ["scenario", "run", str(f), "--no-store"])
    assert "a.rda" in msg and "field 'baseline.unvotes.file'" in msg and "no such file" in msg


def test_a_huge_capability_is_refused(capsys, store, tmp_path) -> None:
    f = tmp_path / "cap.toml"
    f.write_text(
        HEAD
        + '[models]\nrun = ["bargaining"]\n[models.bargaining]\nmodels = ["eu"]\nactors = [\n'
        + '  {id = "a", capability = 1e308, position = 50, salience = 50},\n'
        + '  {id = "b", capability = 1, position = 10, salience = 50},\n]\n'
    )
    msg = refuse(capsys, store, ["scenario", "run", str(f), "--no-store"])
    assert "line 7, field 'models.bargaining.actors[1].capability'" in msg  # the key 'actors'
    assert "must be at most 1,000,000" in msg
