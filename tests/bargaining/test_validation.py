"""Issue 17: the validation harness on small files the tests write (no shared data needed)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from powerbalance.app import bargaining as app
from powerbalance.datasets.bargaining_tables import read_issue_file
from powerbalance.interfaces.cli.main import main
from powerbalance.theory.bargaining import MODELS, ActorTable, Dimension, EUParams, bargain
from powerbalance.theory.bargaining.errors import BargainingOptionError
from powerbalance.theory.bargaining.expected_utility import PUBLISHED, expected_utility_model
from powerbalance.theory.bargaining.issues import Issue
from powerbalance.theory.bargaining.validation import (
    cross_validate,
    fold_assignment,
    load_issues,
    track_record,
    train_test,
)

# a DEU-format file: two actors' weights on line 2, three issues of two proposals
DEU = (
    '"prnr"\t"isnr"\t"proc"\t"counvte"\t"pcom"\t"pde"\t"pfr"\t"scom"\t"sde"\t"sfr"\t"rp"\t"out"\n'
    '""\t""\t""\t""\t"4"\t"10"\t"10"\t"4"\t"10"\t"10"\t""\t""\n'
    '"p1"\t"p1i1"\t"COD"\t"QMV"\t"100"\t"0"\t""\t"50"\t"80"\t"0"\t"0"\t"30"\n'
    '"p1"\t"p1i2"\t"COD"\t"QMV"\t"0"\t"100"\t"50"\t"50"\t"0"\t"40"\t""\t"60"\n'
    '"p2"\t"p2i1"\t"CNS"\t"Unan"\t"20"\t"80"\t"40"\t"50"\t"50"\t"50"\t""\t""\n'
)

LONG = (
    "# scale: 0,10\n"
    "issue,actor,position,salience,capability,outcome,reference_point,proposal,procedure\n"
    "a,x,2,50,1,4,1,P,COD\n"
    "a,y,8,50,3,,,,\n"
    "a,z,,,2,,,,\n"
    "b,x,0,0,1,5,,Q,\n"
    "b,y,10,60,3,5,,Q,\n"
    "c,x,1,10,1,,,,\n"
    "c,y,9,10,1,,,,\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_deu_reader_leaves_out_empty_positions_and_keeps_info(tmp_path: Path) -> None:
    got = read_issue_file(_write(tmp_path, "d.tsv", DEU))
    assert got.format == "deu" and got.scale == (0.0, 100.0) and got.skipped == ("p2i1",)
    first, second = got.issues
    assert first.proposal == "p1" and first.outcome == (30.0,)
    # fr took no position on p1i1 (empty cell): it is not in the table, though its salience is 0
    assert first.table.actors == ("com", "de")
    assert first.table.capability.tolist() == [4.0, 10.0]
    assert first.table.reference_point is not None and first.table.reference_point.tolist() == [0.0]
    assert second.table.actors == ("com", "de", "fr") and second.table.reference_point is None
    assert second.table.salience[:, 0].tolist() == [50.0, 0.0, 40.0]
    assert first.info["procedure"] == "COD" and first.info["voting"] == "QMV"
    assert first.table.dimensions[0].scale_source == "declared"


def test_long_csv_reader(tmp_path: Path) -> None:
    got = read_issue_file(_write(tmp_path, "l.csv", LONG))
    assert got.format == "csv" and got.scale == (0.0, 10.0) and got.skipped == ("c",)
    a, b = got.issues
    assert a.table.actors == ("x", "y") and a.outcome == (4.0,) and a.proposal == "P"
    assert a.table.reference_point is not None and a.table.reference_point.tolist() == [1.0]
    assert a.info == {"procedure": "COD"}
    assert b.proposal == "Q" and b.table.dimensions[0].high == 10.0
    # an issue without a proposal is its own proposal
    text = LONG.replace(",P,COD", ",,COD")
    assert read_issue_file(_write(tmp_path, "l2.csv", text)).issues[0].proposal == "a"


def test_long_csv_scale_from_the_option(tmp_path: Path) -> None:
    text = LONG.split("\n", 1)[1]
    got = read_issue_file(_write(tmp_path, "l.csv", text), scale=(0.0, 10.0))
    assert (
        got.scale_source == "option" and got.issues[0].table.dimensions[0].scale_source == "option"
    )


def test_fold_assignment_is_seeded_grouped_and_order_free() -> None:
    props = [f"p{k % 7}" for k in range(30)]
    a = fold_assignment(props, 3, seed=4)
    assert a.tolist() == fold_assignment(props, 3, seed=4).tolist()
    for p in set(props):  # one proposal, one fold
        assert len({int(f) for f, q in zip(a, props, strict=True) if q == p}) == 1
    assert sorted(set(a.tolist())) == [0, 1, 2]
    rev = fold_assignment(props[::-1], 3, seed=4)
    assert rev.tolist() == a.tolist()[::-1]
    with pytest.raises(BargainingOptionError, match="at most 7"):
        fold_assignment(props, 8, seed=0)
    with pytest.raises(BargainingOptionError, match="at least 2"):
        fold_assignment(props, 1, seed=0)


def _issue(k: int, positions: list[float], sal: list[float], cap: list[float], out: float) -> Issue:
    n = len(positions)
    t = ActorTable(
        tuple(f"a{i}" for i in range(n)),
        cap,
        [[p] for p in positions],
        [[s] for s in sal],
        (Dimension("x", "x"),),
    )
    return Issue(f"i{k}", f"p{k // 2}", t, (out,))


def _issues() -> list[Issue]:
    rng = np.random.default_rng(3)
    out = []
    for k in range(24):
        n = 3 + k % 4
        pos = rng.integers(0, 101, n).astype(float).tolist()
        sal = rng.integers(0, 101, n).astype(float).tolist()
        sal[0] = max(sal[0], 10.0)
        cap = rng.integers(1, 10, n).astype(float).tolist()
        out.append(_issue(k, pos, sal, cap, float(rng.integers(0, 101))))
    return out


def test_known_values_of_the_scores() -> None:
    # mean forecast 75 on both issues (outcomes 70 and 100): errors 5 and 25
    t = [_issue(0, [0, 100], [50, 50], [1, 3], 70.0), _issue(2, [0, 100], [50, 50], [1, 3], 100.0)]
    v = cross_validate(t, models=["mean", "median"], folds=2, seed=0)
    mean, median = v.scores["mean"], v.scores["median"]
    assert mean.errors.tolist() == [5.0, 25.0] and mean.mae == 15.0 and mean.median_error == 15.0
    # the median is 100: errors 30 and 0, beats the mean on one issue of two
    assert median.errors.tolist() == [30.0, 0.0] and median.beats_mean == 0.5
    assert median.ratio_to_mean == 1.0 and mean.ratio_to_mean == 1.0
    assert np.isnan(median.correlation)  # a constant forecast has no correlation


def test_every_registered_model_is_scored_and_none_refuses() -> None:
    v = cross_validate(_issues(), folds=3, seed=1)
    assert set(v.scores) == set(MODELS)
    for s in v.scores.values():
        assert s.refused == 0, (s.name, s.refusals)
        assert s.scored == 24 and np.isfinite(s.mae)
    again = cross_validate(_issues(), folds=3, seed=1)
    for name, s in v.scores.items():
        assert np.array_equal(s.errors, again.scores[name].errors), name


def test_calibrated_models_are_fitted_on_the_training_folds_only(monkeypatch) -> None:
    from dataclasses import replace

    from powerbalance.theory.bargaining import registry, validation

    seen: list[set[str]] = []

    def fit(issues):
        seen.append({i.id for i in issues})
        return None

    spec = replace(MODELS["mean"], name="fitted-mean", fit=fit)
    models = {**registry.MODELS, "fitted-mean": spec}
    monkeypatch.setattr(validation, "MODELS", models)
    monkeypatch.setattr(validation, "get_model", lambda n: models[n])
    issues = _issues()
    v = cross_validate(issues, models=["fitted-mean"], folds=4, seed=2)
    assert len(seen) == 4 and v.scores["fitted-mean"].fitted
    everything = {i.id for i in issues}
    folds = [{i.id for i, f in zip(issues, v.fold_of, strict=True) if f == g} for g in range(4)]
    # each fit saw every fold but one: the fold it then forecast
    assert sorted(map(sorted, (everything - train for train in seen))) == sorted(map(sorted, folds))
    seen.clear()
    t = train_test(issues[:10], issues[10:], models=["fitted-mean"])
    assert seen == [{i.id for i in issues[:10]}] and t.protocol == "train-test"


def test_zero_salience_actor_is_legal_for_pce() -> None:
    t = ActorTable(
        ("a", "b", "lu"),
        [3, 2, 1],
        [[20], [80], [50]],
        [[60], [40], [0]],
        (Dimension("x", "x"),),
    )
    fc = bargain(t, model="pce")
    assert fc.path.shape[1] == 3 and fc.probabilities is not None
    assert fc.probabilities.shape[1] == 3 and np.all(fc.probabilities[:, 2] == 0)
    assert np.all(fc.path[:, 2, 0] == 50.0)  # left out: its position stays
    assert any("'lu' has zero salience" in w for w in fc.warnings)
    # it carries no weight: the forecast is that of the table without it
    alone = bargain(
        ActorTable(("a", "b"), [3, 2], [[20], [80]], [[60], [40]], (Dimension("x", "x"),)),
        model="pce",
    )
    assert fc.forecast.tolist() == alone.forecast.tolist()
    with pytest.raises(BargainingOptionError, match="at least two actors who care"):
        bargain(
            ActorTable(("a", "b"), [3, 2], [[20], [80]], [[60], [0]], (Dimension("x", "x"),)),
            model="pce",
        )


def test_eu_win_probability_formulas() -> None:
    t = ActorTable(
        tuple("abcd"),
        [3, 2, 2, 1],
        [[10], [40], [60], [95]],
        [[80], [50], [60], [30]],
        (Dimension("x", "x"),),
    )
    pub = expected_utility_model(t, PUBLISHED).rounds[0][0].prob
    mas = expected_utility_model(t, EUParams(win_probability="masad")).rounds[0][0].prob
    off = ~np.eye(4, dtype=bool)
    np.testing.assert_allclose((pub + pub.T)[off], 1.0)
    # net votes floored at 0: one of P_ij, P_ji is 0, the other |net| / sum |v| <= 1
    assert np.all(np.minimum(mas, mas.T)[off] == 0) and np.all(mas <= pub + 1e-12)
    with pytest.raises(BargainingOptionError, match="win-probability"):
        EUParams(win_probability="other")  # type: ignore[arg-type]


def test_cli_validate_text_json_plot(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = _write(tmp_path, "d.tsv", DEU.removesuffix('""\t""\n') + '"20"\t"55"\n')
    store = ["--store", str(tmp_path / "s.duckdb")]
    png = tmp_path / "errors.png"
    rc = main([*store, "bargain", "validate", str(f), "--folds", "2", "--plot", str(png)])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "3 issues of 2 proposals" in out and "2-fold cross-validation" in out
    assert png.stat().st_size > 1000
    rc = main(
        [*store, "bargain", "validate", str(f), "--folds", "2", "--models", "eu,median", "--json"]
    )
    data = json.loads(capsys.readouterr().out)
    assert rc == 0 and [m["name"] for m in data["models"]] != []
    assert {m["name"] for m in data["models"]} == {"mean", "median", "eu"}
    assert data["issues"] == 3 and data["sha256"] and data["format"] == "deu"


def test_cli_validate_train_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    train = _write(tmp_path, "train.csv", LONG)
    test = _write(tmp_path, "test.csv", LONG.replace("a,", "e,").replace("b,", "f,"))
    rc = main(["bargain", "validate", str(test), "--train", str(train), "--json", "-k", "9"])
    data = json.loads(capsys.readouterr().out)
    assert rc == 0 and data["protocol"] == "train-test" and data["train_issues"] == 2


def test_cli_record_writes_a_track_record(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    issues = _issues()
    rows = ["# scale: 0,100", "issue,actor,position,salience,capability,outcome,proposal"]
    for i in issues:
        for k, a in enumerate(i.table.actors):
            t = i.table
            rows.append(
                f"{i.id},{a},{t.position[k, 0]:g},{t.salience[k, 0]:g},{t.capability[k]:g},"
                f"{i.outcome[0]:g},{i.proposal}"
            )
    f = _write(tmp_path, "many.csv", "\n".join(rows) + "\n")
    out = tmp_path / "record.json"
    try:
        assert main(["bargain", "validate", str(f), "--folds", "3", "--record", str(out)]) == 0
        doc = json.loads(out.read_text())
        assert doc["folds"] == 3 and doc["seed"] == 0 and doc["issues"] == 24
        assert set(doc["models"]) == set(MODELS) and doc["models"]["mean"]["ratio_to_mean"] == 1.0
        assert "--folds 3 --seed 0" in doc["command"] and len(doc["sha256"]) == 64
        # a record scores every model
        assert main(["bargain", "validate", str(f), "--models", "eu", "--record", str(out)]) == 2
        assert "every model" in capsys.readouterr().err
    finally:
        track_record.cache_clear()


def test_forecasts_carry_the_track_record(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    store = ["--store", str(tmp_path / "s.duckdb")]
    assert main([*store, "bargain", "us-russia", "-m", "pce"]) == 0
    out = capsys.readouterr().out
    rec = track_record().get("pce")
    assert "track record (pce):" in out
    if rec is not None and rec.worse_than_mean:
        assert "does WORSE than the weighted mean" in out
    assert main([*store, "bargain", "us-russia", "-m", "eu", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["track_record"]["model"] == "eu" and "line" in data["track_record"]
    page = __import__("powerbalance.app.pages", fromlist=["bargaining"]).bargaining(
        "us-russia", model="median"
    )
    assert page["track_record"]["model"] == "median"
    assert set(page["track_records"]) == set(MODELS)


def test_default_model_is_the_best_validated() -> None:
    rec = track_record()
    best = app.default_model()
    assert best in MODELS
    if best in rec.models:
        assert rec.models[best].mae == min(
            r.mae for n, r in rec.models.items() if n in MODELS and r.refused == 0
        )
    assert app.bundled_forecast("us-russia").model == best


def test_load_issues_builds_checked_tables(tmp_path: Path) -> None:
    got = load_issues(_write(tmp_path, "l.csv", LONG))
    assert isinstance(got.issues[0].table, ActorTable) and got.skipped == ("c",)
