"""Stored runs: written whole or not at all, listed, shown, compared and replayed exactly."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pytest

from powerbalance.evidence.store import open_store
from powerbalance.scenarios import runs as runs_module
from powerbalance.scenarios.errors import ReplayMismatch, UnknownRun
from powerbalance.scenarios.montecarlo import run_scenario
from powerbalance.scenarios.runs import compare_runs, get_run, list_runs, replay_run, save_run
from powerbalance.scenarios.schema import load_scenario


def test_save_list_show_replay_and_compare(store_path) -> None:
    with open_store(store_path) as s:
        ev = s.evidence()
        a = run_scenario(load_scenario("reverse-kissinger"), ev, draws=1500, model_draws=25)
        b = run_scenario(load_scenario("ukraine-ceasefire"), ev, draws=1500, model_draws=10)
        ida, idb = save_run(s, a), save_run(s, b)
        listed = list_runs(s)
        assert {r.id for r in listed} == {ida, idb}
        stored = get_run(s, ida[:-3])  # a unique prefix is enough
        assert stored.id == ida and stored.seed == 1972 and stored.draws == 1500
        assert stored.spec == load_scenario("reverse-kissinger").text
        assert stored.params["anchors"]["trade_rus_chn_usd_bn"] == 245.0
        assert "powerbalance" in stored.code_version
        arrays = stored.arrays()
        np.testing.assert_array_equal(arrays["weights"], a.arrays["weights"])
        assert stored.summary["configuration"] == a.summary["configuration"]
        # the bargaining models' draws and forecasts are kept exactly
        assert stored.model_draws == 25
        for key in ("model_draws", "forecast_pce", "forecast_pce_base"):
            np.testing.assert_array_equal(arrays[key], a.arrays[key])
        assert arrays["model_draws"].dtype == np.int64
        assert stored.summary["bargaining"]["pce"] == a.summary["bargaining"]["pce"]
        again = replay_run(stored, s.evidence())
        assert again.digest() == a.digest()
        np.testing.assert_array_equal(again.arrays["forecast_pce"], a.arrays["forecast_pce"])
        table = compare_runs(stored, get_run(s, idb))
        metrics = {r["metric"]: r for r in table["rows"]}
        row = metrics["P(romantic_triangle)"]
        assert row["difference"] == pytest.approx(row["b"] - row["a"])
        pce = metrics["bargaining pce, median"]
        assert pce["a"] == a.summary["bargaining"]["pce"]["shocked"]["p50"]
        assert pce["b"] == b.summary["bargaining"]["pce"]["shocked"]["p50"]
        json.dumps(table)  # the comparison is JSON-ready


def test_an_interrupted_write_leaves_no_run(store_path, monkeypatch) -> None:
    with open_store(store_path) as s:
        result = run_scenario(load_scenario("china-cuts-oil"), s.evidence(), draws=200)

        def interrupt(*args: object) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(runs_module, "_verify", interrupt)
        with pytest.raises(KeyboardInterrupt):
            save_run(s, result)
        assert list_runs(s) == []
        assert s.row_count("runs") == 0


def test_replay_notices_a_changed_result(store_path) -> None:
    with open_store(store_path) as s:
        rid = save_run(s, run_scenario(load_scenario("china-cuts-oil"), s.evidence(), draws=300))
    # Corrupt the stored row behind the store's back, through a connection of the test's own.
    con = duckdb.connect(str(store_path))
    try:
        con.execute(
            'UPDATE runs SET params = json_merge_patch(params, \'{"digest": "0"}\') WHERE id = ?',
            [rid],
        )
    finally:
        con.close()
    with open_store(store_path) as s, pytest.raises(ReplayMismatch, match="did not reproduce"):
        replay_run(get_run(s, rid), s.evidence())


def test_unknown_run(store_path) -> None:
    with open_store(store_path) as s, pytest.raises(UnknownRun, match="scenario list"):
        get_run(s, "nope")
