"""One registry of bargaining models, theory on tables, the use cases in the app layer (issue 15).

- :data:`powerbalance.theory.bargaining.MODELS` is the one registry: ``bargain``,
  the scenarios' schema and Monte Carlo, the command's help and the docs' table
  all come from it, and nothing dispatches on a model's name elsewhere;
- the models take an :class:`ActorTable`; bundled sets are found by name in
  :mod:`powerbalance.datasets.bargaining_tables` and files or names are resolved
  by :mod:`powerbalance.app.bargaining`;
- the fields of an actor table are declared once (``ActorTable`` extends
  ``ActorTableData``).
"""

from __future__ import annotations

import inspect
import re
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from powerbalance.app import bargaining as app
from powerbalance.datasets import bargaining_tables as files
from powerbalance.errors import UserError
from powerbalance.interfaces.cli.main import main
from powerbalance.theory import bargaining as theory
from powerbalance.theory.bargaining import (
    MODELS,
    ActorTable,
    BargainingOptionError,
    UnknownActorSet,
    bargain,
    get_model,
    read_table,
)

REPO = Path(__file__).resolve().parents[2]
CSV = "# scale: 0,100\nactor,capability,position,salience\nA,40,10,80\nB,30,35,60\nC,20,60,90\n"


def models_table() -> str:
    """The models table of docs/bargaining.md, as the registry's metadata gives it."""
    rows = [
        "| `--model` | kind | title | inputs | stochastic | in scenarios | reference |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m in app.models():
        rows.append(
            f"| `{m.name}` | {m.kind} | {m.title} | {', '.join(m.inputs)} | "
            f"{'yes' if m.stochastic else 'no'} | {'yes' if m.scenario else 'no'} | {m.citation} |"
        )
    return "\n".join(rows)


def test_docs_table_is_the_registry() -> None:
    assert models_table() in (REPO / "docs" / "bargaining.md").read_text(encoding="utf-8")


def test_app_lists_the_registry() -> None:
    infos = app.models()
    assert [m.name for m in infos] == list(MODELS)
    assert list(MODELS)[:4] == ["mean", "median", "eu", "pce"]
    for m in infos:
        spec = MODELS[m.name]
        assert (m.title, m.kind, m.stochastic, m.citation, m.scenario) == (
            spec.title,
            spec.kind,
            spec.stochastic,
            spec.citation,
            spec.scenario,
        )
        assert m.to_dict()["inputs"] == list(spec.inputs)
    assert [m.name for m in infos if m.kind == "baseline"] == ["mean", "median"]
    assert [m.name for m in infos if m.stochastic] == ["pce"]


def test_unknown_model_is_a_user_error_naming_the_models() -> None:
    with pytest.raises(BargainingOptionError, match="choose one of mean, median, eu, pce") as info:
        get_model("pcee")
    assert "did you mean 'pce'" in str(info.value)


def test_help_lists_every_model_with_its_title(capsys: pytest.CaptureFixture) -> None:
    assert main(["bargain", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    for name, spec in MODELS.items():
        assert f"{name}: {spec.title}" in out


def test_theory_takes_tables_not_names_or_files(tmp_path: Path) -> None:
    # the lookup of bundled sets by name lives in datasets, not in theory
    assert not hasattr(theory, "load_actor_set")
    assert files.actor_sets() == app.actor_sets() == ["russia-alignment", "us-russia"]
    assert not hasattr(theory, "actor_sets")  # the lookup of names lives in datasets
    assert UnknownActorSet is files.UnknownActorSet
    with pytest.raises(TypeError, match="ActorTable"):
        bargain("us-russia", model="mean")  # type: ignore[arg-type]
    p = tmp_path / "t.csv"
    p.write_text(CSV)
    with pytest.raises(TypeError):
        bargain(p, model="mean")  # type: ignore[arg-type]
    assert bargain(read_table(p), model="median").forecast.tolist() == [35.0]


def test_app_forecast_reads_names_and_files(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_text(CSV)
    by_file = app.forecast(p, model="eu")
    direct = bargain(read_table(p), model="eu")
    assert by_file.to_dict() == direct.to_dict()
    by_name = app.forecast("us-russia", model="pce", seed=3)
    table = app.load_actor_set("us-russia")
    assert isinstance(table, ActorTable)
    assert by_name.to_dict() == bargain(table, model="pce", seed=3).to_dict()
    assert app.forecast(str(p), model="median", scale="0,100").forecast.tolist() == [35.0]
    with pytest.raises(UnknownActorSet, match="did you mean 'us-russia'"):
        app.forecast("us-rusia")


def test_bundled_forecast_takes_only_bundled_names(tmp_path: Path) -> None:
    fc = app.bundled_forecast("russia-alignment", model="median")
    assert fc.table.name == "russia-alignment" and fc.model == "median"
    assert fc.to_dict() == app.forecast("russia-alignment", model="median").to_dict()
    p = tmp_path / "t.csv"
    p.write_text(CSV)
    # a file that exists is still not a bundled set: the dashboard never reads a path
    with pytest.raises(UnknownActorSet, match="the bundled sets are: russia-alignment, us-russia"):
        app.bundled_forecast(str(p))
    with pytest.raises(UnknownActorSet, match="did you mean 'us-russia'"):
        app.bundled_forecast("us-rusia")
    with pytest.raises(BargainingOptionError, match="unknown model 'oracle'"):
        app.bundled_forecast("us-russia", model="oracle")


def test_params_of_another_model_are_refused() -> None:
    table = app.load_actor_set("us-russia")
    with pytest.raises(BargainingOptionError, match="the eu model takes EUParams"):
        bargain(table, model="eu", params=theory.SpatialParams())
    with pytest.raises(BargainingOptionError, match="the mean model takes no options"):
        bargain(table, model="mean", params=theory.EUParams())
    # the command line's pair of option objects: each model takes its own
    fc = bargain(table, model="eu", spatial=theory.SpatialParams(), eu=theory.EUParams(mu="mean"))
    assert fc.params["mu"] == "mean"


def test_actor_table_fields_are_declared_once() -> None:
    assert issubclass(ActorTable, files.ActorTableData)
    own = inspect.get_annotations(ActorTable)
    assert not set(own) & {f.name for f in fields(files.ActorTableData)}
    assert [f.name for f in fields(ActorTable)] == [f.name for f in fields(files.ActorTableData)]


def test_scenarios_take_their_models_from_the_registry() -> None:
    from powerbalance.scenarios import montecarlo
    from powerbalance.scenarios.schema import BARGAINING_MODELS

    assert {
        name: MODELS[name].title for name in ("pce", "eu") if MODELS[name].scenario
    } == BARGAINING_MODELS
    assert set(BARGAINING_MODELS) == {n for n, s in MODELS.items() if s.scenario}
    table = app.load_actor_set("russia-alignment")
    for name in BARGAINING_MODELS:
        want = MODELS[name].run(table, None, seed=montecarlo.SPATIAL_SEED, engine="numpy")
        assert montecarlo.model_forecast(table, name) == float(want.forecast[0])
    with pytest.raises(UserError, match="unknown model"):
        montecarlo.model_forecast(table, "oracle")


def test_no_dispatch_on_model_names_is_left() -> None:
    """The model's name is looked up in the registry, never compared in an if/elif chain."""
    from powerbalance.scenarios import montecarlo, schema
    from powerbalance.theory.bargaining import forecast

    compare = re.compile(r"""(model|name)\s*(==|in)\s*\(?["'](mean|median|eu|pce)["']""")
    for module in (forecast, montecarlo, schema, app):
        source = inspect.getsource(module)
        assert not compare.search(source), module.__name__
        assert "getattr(bargaining" not in source
        assert '"pce" in self.models' not in source


def test_scenario_salience_check_comes_from_the_registry() -> None:
    from powerbalance.scenarios.errors import ScenarioFileError
    from powerbalance.scenarios.schema import parse_scenario

    text = (
        'name = "ka"\ntitle = "t"\n[models]\nrun = ["bargaining"]\n[models.bargaining]\n'
        "models = MODELS\nactors = ["
        '{id = "a", capability = 1, position = 10, salience = 0}, '
        '{id = "b", capability = 1, position = 90, salience = 50}]\n'
    )
    # an actor of salience 0 carries no weight: no model refuses it (issue 17)
    assert not MODELS["pce"].positive_salience and not MODELS["eu"].positive_salience
    ok = parse_scenario(text.replace("MODELS", '["eu", "pce"]'), file="s.toml")
    assert ok.models.bargaining is not None and ok.models.bargaining.models == ["eu", "pce"]
    needy = [m for m, spec in MODELS.items() if spec.positive_salience]
    if needy:
        with pytest.raises(ScenarioFileError, match="needs every actor to care"):
            parse_scenario(text.replace("MODELS", repr(needy).replace("'", '"')), file="s.toml")
    with pytest.raises(ScenarioFileError, match="must be 'pce' or 'eu'"):
        parse_scenario(text.replace("MODELS", '["mean"]'), file="s.toml")


def test_registry_run_is_reproducible_for_the_stochastic_model() -> None:
    table = app.load_actor_set("russia-alignment")
    params = theory.SpatialParams(transitions="stochastic")
    a = MODELS["pce"].run(table, params, seed=5)
    b = MODELS["pce"].run(table, params, seed=5)
    np.testing.assert_array_equal(a.path, b.path)
    assert a.probabilities is not None and a.detail is not None
