"""The contract every model keeps (as Axelrod's test class does for its strategies).

:class:`ModelContract` holds the checks; a subclass supplies the model through a
``subject`` fixture (a :class:`Subject`). Every bargaining model of the registry
:data:`powerbalance.theory.bargaining.MODELS` is covered automatically: the
contract reads what it needs from the model's :class:`ModelSpec` (its module,
whether it is stochastic, the class of its options), so a new entry there gets
every check with nothing to add here beyond, for a model with a new options
class, how those options make it draw and which options are bad
(:data:`RANDOM_PARAMS`, :data:`BAD_PARAMS`). The scenario Monte Carlo is
checked too. A model:

- gives the same result for the same seed; a stochastic model uses its seed
  (another seed changes its result), a deterministic one gives the same result
  for any seed;
- pickles its result and its parameters intact (runs cross process borders);
- refuses bad input with a :class:`~powerbalance.errors.UserError` subclass,
  never a raw ``ValueError`` or ``KeyError``;
- names the paper it implements: a ``References`` section with an author and a
  year in the docstring of its implementing module, and, for a bargaining
  model, the registry's full citation, which that docstring quotes.

A known gap is an ``xfail(strict=True)`` with the fix in its reason: when the
gap is closed the test passes unexpectedly and fails, so remove the marker.
"""

from __future__ import annotations

import json
import pickle
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from powerbalance.errors import UserError
from powerbalance.limits import LIMITS
from powerbalance.theory.bargaining import (
    MODELS,
    CalibratedParams,
    CompromiseParams,
    EUParams,
    ModelSpec,
    NashParams,
    SpatialParams,
    StackedParams,
    bargain,
    read_csv_table,
)


@dataclass
class Subject:
    """One model as the contract sees it."""

    name: str
    #: run(seed) -> result; may take more keyword arguments (a variant's parameters)
    run: Callable[..., Any]
    #: a result as plain, comparable data (JSON text of its outputs)
    canon: Callable[[Any], str]
    #: the model's parameter objects (pickled and compared), built when a test asks
    params: Callable[[], list[Any]]
    #: modules whose docstrings carry the model's references
    modules: list[ModuleType]
    #: keyword arguments of run() that make it draw random numbers
    random_variant: dict[str, Any] = field(default_factory=dict)
    #: name -> a call that must raise a UserError subclass
    bad_inputs: Mapping[str, Callable[[], Any]] = field(default_factory=dict)
    #: names of bad_inputs that are known gaps, with their xfail marks
    known_gaps: Mapping[str, pytest.MarkDecorator] = field(default_factory=dict)
    #: set when the model's docstrings do not yet cite its paper
    citation_gap: str | None = None


_REFERENCE = re.compile(r"\bReferences\n-{4,}\n(?P<body>.+)", re.S)
_ENTRY = re.compile(r"[A-Z][\w'’-]+, [A-Z][\w. ,&’'-]*\((?:19|20)\d\d")


def cites_a_paper(module: ModuleType) -> bool:
    """Does the module's docstring have a References section naming an author and a year?"""
    match = _REFERENCE.search(module.__doc__ or "")
    return bool(match and _ENTRY.search(match.group("body")))


def _json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, default=repr, allow_nan=True)


class ModelContract:
    """The checks; subclasses provide a ``subject`` fixture returning a :class:`Subject`."""

    SEED = 11

    @staticmethod
    def subject_names() -> list[str]:
        raise NotImplementedError

    @staticmethod
    def make_subject(name: str) -> Subject:
        raise NotImplementedError

    @pytest.fixture
    def subject(self, subject_name: str) -> Subject:
        return self.make_subject(subject_name)

    def test_same_seed_same_result(self, subject: Subject) -> None:
        a = subject.run(self.SEED)
        b = subject.run(self.SEED)
        assert subject.canon(a) == subject.canon(b)

    def test_same_seed_same_result_when_the_model_draws(self, subject: Subject) -> None:
        a = subject.run(self.SEED, **subject.random_variant)
        b = subject.run(self.SEED, **subject.random_variant)
        assert subject.canon(a) == subject.canon(b)

    def test_another_seed_changes_a_random_result(self, subject: Subject) -> None:
        a = subject.run(self.SEED, **subject.random_variant)
        b = subject.run(self.SEED + 1, **subject.random_variant)
        assert subject.canon(a) != subject.canon(b)

    def test_result_pickles_intact(self, subject: Subject) -> None:
        result = subject.run(self.SEED, **subject.random_variant)
        again = pickle.loads(pickle.dumps(result))
        assert type(again) is type(result)
        assert subject.canon(again) == subject.canon(result)

    def test_parameters_pickle_intact(self, subject: Subject) -> None:
        for p in subject.params():
            again = pickle.loads(pickle.dumps(p))
            assert again == p
            assert type(again) is type(p)

    def test_bad_input_raises_a_user_error(self, subject: Subject, bad_input: str) -> None:
        call = subject.bad_inputs[bad_input]
        with pytest.raises(UserError) as info:
            call()
        text = str(info.value)
        assert text and "Traceback" not in text
        # no raw pydantic text reaches the user
        assert "Value error," not in text and "Input should be" not in text

    def test_cites_the_paper_it_implements(self, subject: Subject) -> None:
        cited = any(cites_a_paper(m) for m in subject.modules)
        if subject.citation_gap:
            # a known gap behaves as a strict xfail: once closed, drop citation_gap
            if not cited:
                pytest.xfail(subject.citation_gap)
            pytest.fail(f"{subject.name} now cites its paper: remove its citation_gap")
        assert cited, (
            f"{subject.name}: add a 'References' section (author, year, title) to the "
            f"docstring of one of {[m.__name__ for m in subject.modules]}"
        )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize a contract class's tests over its subjects (and their bad inputs)."""
    cls = metafunc.cls
    if cls is None or not issubclass(cls, ModelContract):
        return
    if "bad_input" not in metafunc.fixturenames:
        metafunc.parametrize("subject_name", cls.subject_names())
        return
    params = []
    for name in cls.subject_names():
        subject = cls.make_subject(name)
        for case in subject.bad_inputs:
            marks = [subject.known_gaps[case]] if case in subject.known_gaps else []
            params.append(pytest.param(name, case, marks=marks, id=f"{name}-{case}"))
    metafunc.parametrize(("subject_name", "bad_input"), params)


# --- the bargaining models -------------------------------------------------------------

_TABLE_CSV = (
    "actor,capability,position,salience\n"
    "A,40,10,80\nB,30,35,60\nC,20,60,90\nD,25,80,50\nE,15,95,70\n"
)
_ZERO_SALIENCE_CSV = "actor,capability,position,salience\nA,1,20,0\nB,2,80,0\n"


@cache
def _table():
    return read_csv_table("contract.csv", text=_TABLE_CSV)


#: Per options class: options under which a model draws random numbers (a stochastic
#: model without them must draw with its defaults).
RANDOM_PARAMS: dict[type, Any] = {SpatialParams: SpatialParams(transitions="stochastic")}
#: Per options class: options other than the defaults (pickled with the others).
OTHER_PARAMS: dict[type, Any] = {EUParams: EUParams(mu="mean", risk_basis="ambition")}
#: Per options class: name -> a call building options that must be refused.
BAD_PARAMS: dict[type, Mapping[str, Callable[[], Any]]] = {
    EUParams: {
        "q-above-1": lambda: EUParams(q=2.0),
        "unknown-mu": lambda: EUParams(mu="mode"),  # type: ignore[arg-type]
        "no-rounds": lambda: EUParams(max_rounds=0),
    },
    SpatialParams: {
        "unknown-voting": lambda: SpatialParams(voting="loudest"),  # type: ignore[arg-type]
        "min-iter-0": lambda: SpatialParams(min_iter=0),
    },
    CompromiseParams: {
        "negative-exponent": lambda: CompromiseParams(capability_exponent=-1),
        "nan-reference-weight": lambda: CompromiseParams(reference_weight=float("nan")),
    },
    NashParams: {
        "unknown-utility": lambda: NashParams(utility="cubic"),  # type: ignore[arg-type]
        "zero-breakdown-cost": lambda: NashParams(breakdown_cost=0.0),
    },
    CalibratedParams: {
        "negative-role-weight": lambda: CalibratedParams(parliament_weight=-2),
        "exponent-not-a-number": lambda: CalibratedParams(salience_exponent="x"),  # type: ignore[arg-type]
    },
    StackedParams: {
        "weight-above-1": lambda: StackedParams(weight=1.5),
        "weight-not-a-number": lambda: StackedParams(weight="x"),  # type: ignore[arg-type]
    },
}
_COLUMNS = {"capability", "position", "salience"}


def _module_of(spec: ModelSpec) -> ModuleType:
    # the registry imports every implementing module, so each is loaded
    return sys.modules[spec.module]


def _words(text: str) -> str:
    """Text without emphasis marks and with single spaces (a docstring wraps its lines)."""
    return " ".join(text.replace("*", "").split())


def test_the_registry_describes_every_model() -> None:
    """Every entry of MODELS is complete, and the contract knows its options class."""
    assert list(MODELS)[:4] == ["mean", "median", "eu", "pce"]
    for name, spec in MODELS.items():
        assert spec.name == name and spec.title.strip()
        assert spec.kind in ("baseline", "model")
        assert spec.inputs and set(spec.inputs) <= _COLUMNS
        assert spec.citation.strip()
        assert spec.module in sys.modules
        if spec.params_type is not None:
            assert spec.params_type in BAD_PARAMS, f"{name}: say which options are bad"
            assert spec.default_params() == spec.params_type()
            if spec.stochastic:
                assert spec.params_type in RANDOM_PARAMS, f"{name}: say how it draws"


def _canon_forecast(fc: Any) -> str:
    return _json(fc.to_dict())


@cache
def _bargaining_subject(name: str) -> Subject:
    spec = MODELS[name]
    random_params = RANDOM_PARAMS.get(spec.params_type) if spec.params_type else None

    def run(seed: int | None, *, runs: int = 0, params: Any = None) -> Any:
        return bargain(_table(), model=name, seed=seed, runs=runs, params=params)

    # The sensitivity analysis (runs > 0) draws for every model; a stochastic model with
    # random options draws itself as well.
    variant: dict[str, Any] = {"runs": 4}
    if random_params is not None:
        variant["params"] = random_params

    bad: dict[str, Callable[[], Any]] = {
        "unknown-model": lambda: bargain(_table(), model=name + "-nonesuch"),
        "negative-runs": lambda: bargain(_table(), model=name, runs=-1),
        "too-many-runs": lambda: bargain(
            _table(), model=name, runs=int(LIMITS["bargain.runs"].maximum) + 1
        ),
        "zero-salience": lambda: bargain(
            read_csv_table("zero.csv", text=_ZERO_SALIENCE_CSV), model=name
        ),
        "position-off-scale": lambda: bargain(_table(), model=name, overrides=["A.position=1000"]),
        "override-not-a-number": lambda: bargain(_table(), model=name, overrides=["A.salience=x"]),
        "override-unknown-actor": lambda: bargain(_table(), model=name, overrides=["Z.position=5"]),
        "negative-seed": lambda: bargain(_table(), model=name, seed=-1, runs=4),
        # options of another model (or any options, for a model without them)
        "params-of-another-model": lambda: spec.run(
            _table(), EUParams() if spec.params_type is not EUParams else SpatialParams()
        ),
    }
    if spec.actor_limit is not None:
        n = int(LIMITS[spec.actor_limit].maximum) + 1
        rows = "".join(f"X{i},1,{i % 100},50\n" for i in range(n))
        big = "actor,capability,position,salience\n" + rows
        bad["too-many-actors"] = lambda: bargain(
            read_csv_table("big.csv", text=big), model=name, seed=0
        )
    for key, make in BAD_PARAMS.get(spec.params_type, {}).items() if spec.params_type else ():
        bad[f"params-{key}"] = make

    def params() -> list[Any]:
        objects: list[Any] = []
        if spec.params_type is not None:
            objects.append(spec.default_params())
            for extra in (OTHER_PARAMS, RANDOM_PARAMS):
                if spec.params_type in extra:
                    objects.append(extra[spec.params_type])
        return [*objects, run(0).params]  # and the parameters as the forecast records them

    return Subject(
        name=name,
        run=run,
        canon=_canon_forecast,
        params=params,
        modules=[_module_of(spec)],
        random_variant=variant,
        bad_inputs=bad,
    )


class TestBargainingModelContract(ModelContract):
    """Every model of the registry MODELS, through :func:`powerbalance.theory.bargaining.bargain`."""

    @staticmethod
    def subject_names() -> list[str]:
        return list(MODELS)

    @staticmethod
    def make_subject(name: str) -> Subject:
        return _bargaining_subject(name)

    def test_the_seed_is_used_as_the_registry_says(self, subject: Subject) -> None:
        """A stochastic model's result depends on its seed; a deterministic one's does not."""
        spec = MODELS[subject.name]

        def outputs(seed: int | None, params: Any = None) -> str:
            # what the model computed (the forecast records its seed too: left out here)
            fc = subject.run(seed, params=params)
            probs = None if fc.probabilities is None else fc.probabilities.tolist()
            return _json([fc.forecast.tolist(), fc.path.tolist(), probs])

        if spec.stochastic:
            params = RANDOM_PARAMS.get(spec.params_type) if spec.params_type else None
            first = outputs(self.SEED, params)
            assert outputs(self.SEED, params) == first
            others = {outputs(s, params) for s in (1, 2, 3, None)}
            assert others - {first}, f"{spec.name} is registered stochastic but ignores its seed"
        else:
            # with its defaults, and with any options that make a model draw
            for params in (None, RANDOM_PARAMS.get(spec.params_type) if spec.params_type else None):
                results = {outputs(s, params) for s in (0, self.SEED, 2**31, None)}
                assert len(results) == 1, f"{spec.name} is registered deterministic but not"

    def test_the_registry_runs_what_bargain_runs(self, subject: Subject) -> None:
        """The registry's call on a table gives bargain()'s forecast and path, bit for bit."""
        spec = MODELS[subject.name]
        direct = spec.run(_table(), None, seed=self.SEED)
        fc = subject.run(self.SEED)
        assert direct.forecast.tolist() == fc.forecast.tolist()
        assert direct.path.tolist() == fc.path.tolist()
        again = pickle.loads(pickle.dumps(direct))
        assert again.forecast.tolist() == direct.forecast.tolist()

    def test_the_citation_is_quoted_by_the_module(self, subject: Subject) -> None:
        """The registry's full reference appears, word for word, in the module's docstring."""
        spec = MODELS[subject.name]
        module = _module_of(spec)
        assert spec.citation.strip()
        assert _words(spec.citation) in _words(module.__doc__ or ""), (
            f"{spec.name}: the docstring of {module.__name__} must quote {spec.citation!r}"
        )


# --- the scenario Monte Carlo ----------------------------------------------------------

_SCENARIO = "reverse-kissinger"


@cache
def _scenario_inputs() -> tuple[Any, Any]:
    from powerbalance.evidence import load_corpus
    from powerbalance.scenarios import load_scenario

    return load_scenario(_SCENARIO), load_corpus()


def _run_scenario(seed: int, **kw: Any) -> Any:
    from powerbalance.scenarios import run_scenario

    scenario, evidence = _scenario_inputs()
    kw.setdefault("draws", 400)
    kw.setdefault("model_draws", 4)
    return run_scenario(scenario, evidence, seed=seed, **kw)


def _canon_run(r: Any) -> str:
    return _json({"digest": r.digest(), "summary": r.summary, "seed": r.seed, "draws": r.draws})


@cache
def _scenario_subject(_name: str = "scenario-montecarlo") -> Subject:
    from powerbalance.scenarios import PARAMETERS, parse_scenario
    from powerbalance.scenarios import montecarlo as _montecarlo
    from powerbalance.scenarios import transmission as _transmission
    from powerbalance.scenarios.schema import bundled_text, load_scenario

    text = bundled_text(_SCENARIO)
    bad: dict[str, Callable[[], Any]] = {
        "zero-draws": lambda: _run_scenario(1, draws=0),
        "too-many-draws": lambda: _run_scenario(1, draws=int(LIMITS["scenario.draws"].maximum) + 1),
        "negative-model-draws": lambda: _run_scenario(1, model_draws=-1),
        "negative-seed": lambda: _run_scenario(-1),
        "zero-chunk": lambda: _run_scenario(1, chunk=0),
        "unknown-engine": lambda: _run_scenario(1, engine="gpu"),
        "unknown-scenario": lambda: load_scenario("no-such-scenario"),
        "broken-toml": lambda: parse_scenario("name = [", file="broken.toml"),
        "unknown-key": lambda: parse_scenario(
            text.replace("[montecarlo]", "[montecarlo]\nbogus = 1", 1), file="bogus.toml"
        ),
    }
    return Subject(
        name="scenario-montecarlo",
        run=_run_scenario,
        canon=_canon_run,
        params=lambda: [_scenario_inputs()[0], dict(PARAMETERS)],
        modules=[_montecarlo, _transmission],
        bad_inputs=bad,
    )


class TestScenarioMonteCarloContract(ModelContract):
    """The scenario Monte Carlo (:func:`powerbalance.scenarios.run_scenario`)."""

    @staticmethod
    def subject_names() -> list[str]:
        return ["scenario-montecarlo"]

    @staticmethod
    def make_subject(name: str) -> Subject:
        return _scenario_subject(name)

    def test_chunks_do_not_change_the_result(self, subject: Subject) -> None:
        """The draws are split into chunks; the split never changes a bit of the result."""
        whole = subject.run(self.SEED)
        split = subject.run(self.SEED, chunk=97)
        assert whole.digest() == split.digest()
        for key, array in whole.arrays.items():
            assert np.array_equal(array, split.arrays[key], equal_nan=True), key
