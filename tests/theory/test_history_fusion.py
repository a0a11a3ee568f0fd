"""The history's fusion rule, configurations and transitions (issue 18), on hand-made relations."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from powerbalance.errors import UserError
from powerbalance.relations.base import Relation
from powerbalance.theory import history as hist
from powerbalance.theory import triangle as tri
from powerbalance.theory.history import (
    ChannelWeight,
    FusionRule,
    HistoryRuleError,
    fuse_tie,
    load_rule,
    read_history,
    year_triangle,
)

CHANNELS = ("un_votes", "alliances", "disputes", "rivalries", "arms", "trade", "events", "gdelt")


def rule(**weights: float) -> FusionRule:
    return FusionRule(
        "test", "1", {k: ChannelWeight(k, w, 0.3) for k, w in weights.items()}, dead_band=0.05
    )


def rel(a: str, b: str, sign: int, strength: float, channel: str, year: int) -> Relation:
    return Relation(
        a, b, sign, strength, channel, f"{channel}-v1", str(year), evidence=(f"{channel}:{year}",)
    )


def triangle_year(
    year: int, signs: tuple[int, int, int], channel: str = "disputes", s: float = 0.8
):
    pairs = (("USA", "RUS"), ("USA", "CHN"), ("RUS", "CHN"))
    return [rel(a, b, x, s, channel, year) for (a, b), x in zip(pairs, signs, strict=True)]


# --- the rule's arithmetic --------------------------------------------------------------------


def test_weighted_mean_contributions_and_uncertainty_known_values():
    r = FusionRule("r", "1", {"a": ChannelWeight("a", 2.0, 0.2), "b": ChannelWeight("b", 1.0, 0.4)})
    t = fuse_tie([rel("USA", "RUS", -1, 0.9, "a", 1962), rel("USA", "RUS", 1, 0.3, "b", 1962)], r)
    assert t is not None
    # x = (2 * -0.9 + 1 * 0.3) / 3 = -0.5; contributions -0.6 and +0.1 add up to it
    assert t.value == pytest.approx(-0.5)
    assert [c.contribution for c in t.contributions] == pytest.approx([-0.6, 0.1])
    assert sum(c.contribution for c in t.contributions) == pytest.approx(t.value)
    assert (t.sign, t.strength) == (-1, pytest.approx(0.5))
    # tau^2 = (2 * 0.16 + 1 * 0.64) / 3 = 0.32; u = sqrt(4 (0.04 + 0.32) + 1 (0.16 + 0.32)) / 3
    assert t.uncertainty == pytest.approx(math.sqrt(4 * 0.36 + 0.48) / 3)
    assert t.rule == "r-v1"


def test_disagreeing_channels_are_reported_not_averaged_away():
    r = rule(alliances=1.0, disputes=1.0, trade=1.0)
    t = fuse_tie(
        [
            rel("RUS", "CHN", 1, 1.0, "alliances", 1969),
            rel("RUS", "CHN", -1, 0.75, "disputes", 1969),
            rel("RUS", "CHN", -1, 0.1, "trade", 1969),  # below the threshold: not a side
        ],
        r,
    )
    assert t is not None and t.contested
    assert (t.amity, t.enmity) == (("alliances",), ("disputes",))
    d = t.to_dict()
    assert d["disagreement"] == {"amity": ["alliances"], "enmity": ["disputes"]}
    # a weak opposite channel alone is no disagreement
    weak = fuse_tie(
        [rel("RUS", "CHN", 1, 1.0, "alliances", 1969), rel("RUS", "CHN", -1, 0.1, "trade", 1969)],
        r,
    )
    assert weak is not None and not weak.contested and weak.to_dict()["disagreement"] is None


def test_neutral_information_counts_and_missing_channels_do_not():
    r = rule(disputes=1.0, rivalries=1.0, trade=1.0)
    # a neutral channel (sign 0) pulls towards zero; an absent one does not count at all
    t = fuse_tie(
        [
            rel("USA", "CHN", -1, 0.6, "rivalries", 1980),
            rel("USA", "CHN", 0, 0.0, "disputes", 1980),
        ],
        r,
    )
    assert t is not None and t.value == pytest.approx(-0.3)
    assert t.absent == ("trade",)
    only = fuse_tie([rel("USA", "CHN", -1, 0.6, "rivalries", 1980)], r)
    assert only is not None and only.value == pytest.approx(-0.6)


def test_no_weighted_channel_is_no_tie():
    assert fuse_tie([], rule(disputes=1.0)) is None
    assert (
        fuse_tie([rel("USA", "RUS", 1, 0.5, "trade", 1990)], rule(disputes=1.0, trade=0.0)) is None
    )


def test_dead_band_gives_no_sign():
    t = fuse_tie([rel("USA", "RUS", 1, 0.03, "disputes", 1990)], rule(disputes=1.0))
    assert t is not None and t.sign == 0 and t.strength == pytest.approx(0.03)


# --- the triangle year by year ----------------------------------------------------------------


def test_configuration_of_each_year_and_missing_ties():
    rels = triangle_year(1955, (-1, -1, 1)) + triangle_year(1969, (-1, -1, -1))
    rels += [rel("USA", "RUS", -1, 0.8, "disputes", 1947)]  # no PRC yet: one tie only
    h = read_history(rels, rule(disputes=1.0), start=1947, end=1969)
    by_year = {y.year: y for y in h.years}
    assert by_year[1947].configuration is None and not by_year[1947].complete
    assert by_year[1947].to_dict()["ties_missing"] == ["USA-CHN", "RUS-CHN"]
    assert by_year[1955].configuration == "stable marriage"
    assert dict(by_year[1955].roles) == {"USA": "outcast", "RUS": "partner", "CHN": "partner"}
    assert dict(by_year[1955].scores) == {"USA": -3.0, "RUS": 1.0, "CHN": 1.0}
    assert by_year[1969].configuration == "unit veto"
    assert by_year[1960].configuration is None  # nothing known that year: missing, not enmity
    assert [t.year for t in h.transitions] == [1969]
    assert h.transitions[0].previous_year == 1955


def test_the_triangle_is_read_once_by_the_array_functions(monkeypatch):
    """Every year's roles come from one call of the triangle module's array code."""
    shapes = []
    original = tri.role_codes

    def spy(signs: np.ndarray) -> np.ndarray:
        shapes.append(np.shape(signs))
        return original(signs)

    monkeypatch.setattr(hist, "role_codes", spy)
    rels = [r for y in range(1950, 1960) for r in triangle_year(y, (-1, -1, 1))]
    read_history(rels, rule(disputes=1.0), start=1950, end=1959)
    assert shapes == [(10, 3)]


def test_transition_names_the_flipped_ties_and_the_channels_that_moved_them():
    r = rule(disputes=1.0, events=1.0, trade=1.0)
    rels = triangle_year(1971, (-1, -1, 1), "disputes", 0.6)
    rels += [
        rel("USA", "RUS", -1, 0.6, "disputes", 1972),
        rel("RUS", "CHN", 1, 0.6, "disputes", 1972),
    ]
    # 1972: the USA-CHN tie turns on dated events; trade moves a little the same way
    rels += [
        rel("USA", "CHN", -1, 0.6, "disputes", 1972),
        rel("USA", "CHN", 1, 1.0, "events", 1972),
        rel("USA", "CHN", 1, 1.0, "trade", 1972),
    ]
    h = read_history(rels, r, start=1971, end=1972)
    (t,) = h.transitions
    assert (t.year, t.kind) == (1972, "configuration")
    assert (t.configuration_before, t.configuration_after) == (
        "stable marriage",
        "romantic triangle",
    )
    assert [f.tie for f in t.flips] == ["USA-CHN"]
    flip = t.flips[0]
    assert (flip.sign_before, flip.sign_after) == (-1, 1)
    # contributions: disputes -0.6 -> -0.2 (+0.4), events 0 -> +1/3, trade 0 -> +1/3
    assert flip.drivers[0].channel == "disputes"
    assert {d.channel for d in flip.drivers} == {"disputes", "events", "trade"}
    assert flip.drivers[0].change == pytest.approx(0.4)
    assert t.roles_after["CHN"] == "pivot"  # friends with both
    d = t.to_dict()
    assert d["channels"][0] == "disputes" and d["flipped"][0]["drivers"][1]["note"] == "appeared"


def test_partner_swap_is_a_transition_of_roles():
    rels = triangle_year(1958, (-1, -1, 1)) + triangle_year(1972, (-1, 1, -1))
    h = read_history(rels, rule(disputes=1.0), start=1958, end=1972)
    (t,) = h.transitions
    assert t.kind == "roles" and t.configuration_after == "stable marriage"
    assert (t.roles_before["USA"], t.roles_after["USA"]) == ("outcast", "partner")


def test_a_tie_without_sign_keeps_its_last_sign_or_reads_as_enmity():
    r = rule(disputes=1.0)
    rels = (
        triangle_year(1990, (0, -1, 1))
        + triangle_year(1991, (1, -1, 1))
        + triangle_year(1992, (0, -1, 1))
    )
    h = read_history(rels, r, start=1990, end=1992)
    usa_rus = [y.ties[0] for y in h.years]
    assert [(t.sign, t.triangle_sign, t.basis) for t in usa_rus if t] == [
        (0, -1, "cautious"),
        (1, 1, "fused"),
        (0, 1, "carried"),
    ]
    no_carry = FusionRule("r", "1", r.channels, carry_neutral=False)
    h2 = read_history(rels, no_carry, start=1990, end=1992)
    assert h2.years[2].ties[0].triangle_sign == -1


def test_periods_and_year_triangle():
    rels = [r for y in range(1950, 1953) for r in triangle_year(y, (-1, -1, 1))]
    h = read_history(rels, rule(disputes=1.0), start=1949, end=1952)
    assert [(p["start"], p["end"], p["configuration"]) for p in h.periods()] == [
        (1949, 1949, None),
        (1950, 1952, "stable marriage"),
    ]
    reading = year_triangle(h, 1951)
    assert reading.configuration == "stable marriage" and len(reading.moves) == 6
    with pytest.raises(tri.TriangleError):
        year_triangle(h, 1949)


def test_every_result_carries_the_rule_version():
    r = load_rule()
    h = read_history(triangle_year(1980, (-1, 1, -1)), r, start=1980, end=1980)
    d = h.to_dict()
    assert d["rule"]["id"] == "history-fusion-v1" and d["rule"]["version"] == "1"
    assert {t["rule"] for y in d["years"] for t in y["ties"]} == {"history-fusion-v1"}


# --- the rule file ----------------------------------------------------------------------------


def test_bundled_rule_weighs_every_channel():
    r = load_rule()
    assert set(r.channels) == set(CHANNELS)
    assert all(c.weight > 0 for c in r.channels.values())
    assert r.file == "bundled" and r.id == "history-fusion-v1"


GOOD = '[rule]\nname = "mine"\nversion = "2"\n\n[channels.disputes]\nweight = 2.0\nnoise = 0.2\n'


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ('[rule]\nname = "x"\nversion = \n', "line 3", "not valid TOML"),
        (
            GOOD.replace("weight = 2.0", "weight = -1"),
            "line 6, field 'channels.disputes.weight'",
            "from 0 to 100",
        ),
        (
            GOOD.replace("weight = 2.0", 'weight = "heavy"'),
            "line 6, field 'channels.disputes.weight'",
            "must be a number",
        ),
        (
            GOOD.replace("noise = 0.2", "noyse = 0.2"),
            "line 7, field 'channels.disputes.noyse'",
            "did you mean noise",
        ),
        (
            GOOD.replace("[channels.disputes]", "[channels.dispute]"),
            "line 5, field 'channels.dispute'",
            "did you mean disputes",
        ),
        (
            GOOD.replace('version = "2"', 'version = "two words"'),
            "line 3, field 'rule.version'",
            "a version such as",
        ),
        (
            GOOD.replace('name = "mine"', 'name = "My Rule"'),
            "line 2, field 'rule.name'",
            "lower-case",
        ),
        (GOOD + "dead_band = 2\n", "", "unknown key 'dead_band'"),
        (
            '[rule]\nname = "x"\nversion = "1"\ndead_band = 1.5\n[channels.trade]\nweight = 1\n',
            "line 4, field 'rule.dead_band'",
            "from 0 to 0.99",
        ),
        (
            '[rule]\nname = "x"\nversion = "1"\ncarry_neutral = "yes"\n[channels.trade]\nweight = 1\n',
            "line 4, field 'rule.carry_neutral'",
            "true or false",
        ),
        ('[rule]\nname = "x"\nversion = "1"\n', "", "at least one channel"),
        ("[channels.trade]\nweight = 1\n", "", "[rule] table"),
        (
            '[rule]\nname = "x"\nversion = "1"\n[channels.trade]\nweight = 0\n',
            "",
            "every channel has weight 0",
        ),
        (
            '[rule]\nname = "x"\nversion = "1"\n[channels.trade]\nnoise = 0.1\n',
            "field 'channels.trade.weight'",
            "needs a weight",
        ),
    ],
)
def test_bad_rule_files_get_one_line_naming_file_line_and_field(tmp_path: Path, text, where, words):
    path = tmp_path / "rule.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HistoryRuleError) as err:
        load_rule(path, known_channels=CHANNELS)
    message = str(err.value)
    assert message.startswith(str(path)), message
    assert where in message and words in message, message
    assert "\n" not in message
    for raw in ("String should", "Value error", "Input should", "Traceback"):
        assert raw not in message
    assert isinstance(err.value, UserError)


def test_a_good_rule_file_is_read_with_its_version(tmp_path: Path):
    path = tmp_path / "rule.toml"
    path.write_text(GOOD, encoding="utf-8")
    r = load_rule(path, known_channels=CHANNELS)
    assert (r.id, r.weight("disputes"), r.weight("trade"), r.file) == (
        "mine-v2",
        2.0,
        0.0,
        str(path),
    )


@pytest.mark.parametrize("name", ["missing.toml", "", "/dev/null"])
def test_rule_path_that_is_not_a_file(tmp_path: Path, name):
    path = tmp_path / name if name and not name.startswith("/") else Path(name or tmp_path)
    with pytest.raises(HistoryRuleError) as err:
        load_rule(path)
    assert "rule" in str(err.value) or "file" in str(err.value)


def test_rule_file_not_utf8(tmp_path: Path):
    path = tmp_path / "rule.toml"
    path.write_bytes(b"\xff\xfe[rule]\x00")
    with pytest.raises(HistoryRuleError, match="not UTF-8"):
        load_rule(path)
