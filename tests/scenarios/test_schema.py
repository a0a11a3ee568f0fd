"""Scenario files: validation names the key and what is allowed; impossible shocks are refused."""

from __future__ import annotations

import pytest

from powerbalance.evidence import load_corpus
from powerbalance.scenarios.errors import ImpossibleShock, ScenarioFileError, UnknownScenario
from powerbalance.scenarios.schema import bundled_names, load_scenario, parse_scenario

HEAD = 'name = "t"\ntitle = "test"\n'


def shock(**kw: object) -> str:
    lines = ["[[shock]]"]
    for k, v in kw.items():
        lines.append(f"{k} = {v}")
    return HEAD + "\n".join(lines) + "\n"


def test_minimal_scenario_parses_with_defaults() -> None:
    s = parse_scenario(HEAD)
    assert s.shocks == []
    assert s.models.run == ["dependence", "triangle", "dynamics"]
    assert s.montecarlo.draws == 10_000


def test_the_five_bundled_scenarios_load_and_cite_evidence_that_exists() -> None:
    names = bundled_names()
    assert names == [
        "china-cuts-oil",
        "power-of-siberia-2",
        "reverse-kissinger",
        "secondary-sanctions",
        "ukraine-ceasefire",
    ]
    corpus = load_corpus()
    for name in names:
        s = load_scenario(name)
        assert s.name == name
        assert s.rationale.strip() and s.shocks
        ids = s.evidence_ids()
        assert ids, name
        missing = [i for i in ids if i not in corpus]
        assert not missing, (name, missing)


def test_unknown_key_is_named_with_the_allowed_keys() -> None:
    with pytest.raises(ScenarioFileError) as exc:
        parse_scenario(HEAD + "[montecarlo]\ndraw = 5\n", file="my.toml")
    msg = str(exc.value)
    assert "my.toml" in msg and "montecarlo.draw" in msg and "draws" in msg


def test_unknown_channel_lists_the_allowed_ones() -> None:
    with pytest.raises(ScenarioFileError) as exc:
        parse_scenario(shock(channel='"gas"', a='"RUS"', b='"CHN"', value=1))
    msg = str(exc.value)
    assert "shock[1].channel" in msg and "'energy_exports'" in msg and "'sanctions'" in msg


def test_share_above_100_percent_is_refused_before_any_draw() -> None:
    with pytest.raises(ImpossibleShock) as exc:
        parse_scenario(shock(channel='"trade"', a='"RUS"', b='"CHN"', op='"share"', value=120))
    assert "shock[1]" in str(exc.value) and "share" in str(exc.value)


def test_distribution_reaching_past_a_bound_is_refused() -> None:
    text = shock(
        channel='"sanctions"',
        a='"USA"',
        b='"RUS"',
        value='{dist = "uniform", low = 0.5, high = 1.5}',
    )
    with pytest.raises(ImpossibleShock, match=r"\[0, 1\]"):
        parse_scenario(text)


def test_unbounded_normal_on_a_bounded_channel_asks_for_bounds() -> None:
    text = shock(
        channel='"sanctions"', a='"USA"', b='"RUS"', value='{dist = "normal", mean = 0.5, sd = 0.1}'
    )
    with pytest.raises(ImpossibleShock, match="bound the distribution"):
        parse_scenario(text)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"channel": '"sanctions"', "a": '"XYZ"', "b": '"RUS"', "value": 0.5}, "'a'"),
        ({"channel": '"sanctions"', "a": '"USA"', "b": '"USA"', "value": 0.5}, "'b'"),
        ({"channel": '"sanctions"', "a": '"USA"', "value": 0.5}, "'b'"),
        ({"channel": '"alternative_buyers"', "a": '"RUS"', "b": '"CHN"', "value": 50}, "'b'"),
        ({"channel": '"relation"', "a": '"USA"', "b": '"EU"', "op": '"add"', "value": 1}, "'b'"),
        ({"channel": '"trade"', "a": '"USA"', "b": '"RUS"', "op": '"add"', "value": 1}, "'op'"),
        (
            {"channel": '"trade"', "a": '"USA"', "b": '"RUS"', "op": '"scale"', "value": -1},
            "'value'",
        ),
    ],
)
def test_impossible_shocks_name_the_field(kw: dict[str, object], field: str) -> None:
    with pytest.raises(ImpossibleShock) as exc:
        parse_scenario(shock(**kw))
    assert f"'shock[1].{field.strip(chr(39))}'" in str(exc.value)
    assert ", line " in str(exc.value)


def test_position_shock_needs_the_bargaining_model() -> None:
    with pytest.raises(ImpossibleShock, match="bargaining"):
        parse_scenario(shock(channel='"position"', a='"putin"', op='"set"', value=50))


def test_unknown_parameter_suggests_the_close_one() -> None:
    with pytest.raises(ScenarioFileError, match="tie_stance_weight"):
        parse_scenario(HEAD + "[parameters]\ntie_stance_weigth = 2.0\n")


def test_parameter_outside_its_documented_range_is_refused() -> None:
    with pytest.raises(ScenarioFileError, match=r"parameters.tie_stance_weight.*\[1, 3\]"):
        parse_scenario(HEAD + "[parameters]\ntie_stance_weight = 9.0\n")


@pytest.mark.parametrize(
    ("dist", "message"),
    [
        ('{dist = "uniform", low = 1}', "needs low, high"),
        ('{dist = "uniform", low = 2, high = 1}', "must be below"),
        ('{dist = "triangular", low = 0, mode = 5, high = 1}', "mode"),
        ('{dist = "beta", a = 2}', "needs a, b"),
        ('{dist = "uniform", low = 0, high = 1, sd = 2}', "takes"),
        ('{dist = "lognormal", low = 0, high = 1}', "dist"),
    ],
)
def test_malformed_distributions(dist: str, message: str) -> None:
    with pytest.raises(ScenarioFileError, match=message):
        parse_scenario(HEAD + f"[parameters]\ntie_stance_weight = {dist}\n")


def test_toml_syntax_error_names_the_file_and_line() -> None:
    with pytest.raises(ScenarioFileError, match=r"bad.toml, line 2, field 'title': not valid TOML"):
        parse_scenario('name = "x"\ntitle = \n', file="bad.toml")


def test_bargaining_table_needs_exactly_one_source() -> None:
    text = HEAD + '[models]\nrun = ["bargaining"]\n[models.bargaining]\ntie = "USA-RUS"\n'
    with pytest.raises(ScenarioFileError, match="either `set`"):
        parse_scenario(text)


def test_unknown_scenario_name_lists_the_bundled_ones() -> None:
    with pytest.raises(UnknownScenario, match="reverse-kissinger"):
        load_scenario("no-such-scenario")


def test_missing_file_is_an_input_error(tmp_path) -> None:
    with pytest.raises(ScenarioFileError, match="no such file"):
        load_scenario(tmp_path / "absent.toml")


def test_the_model_page_documents_every_parameter_and_channel() -> None:
    from pathlib import Path

    from powerbalance.scenarios.parameters import PARAMETERS
    from powerbalance.scenarios.schema import CHANNELS

    docs = Path(__file__).resolve().parents[2] / "docs"
    model = (docs / "transmission-model.md").read_text(encoding="utf-8")
    guide = (docs / "scenarios.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in model for name in PARAMETERS)
    assert all(f"`{name}`" in guide for name in CHANNELS)
