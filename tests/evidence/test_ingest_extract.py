"""The extractor of `powerbalance ingest`: figures, dates, actors, sentences, candidates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from powerbalance.evidence import load_corpus
from powerbalance.evidence.ingest import propose, read_document
from powerbalance.evidence.ingest.dates import find_dates
from powerbalance.evidence.ingest.figures import find_figures, parse_number
from powerbalance.evidence.ingest.propose import actor_lexicon
from powerbalance.evidence.ingest.sentences import split_sentences
from powerbalance.evidence.models import RECORD_TYPES

ARTICLE_DATE = date(2025, 5, 12)  # a Monday


def _one(text: str, lang: str) -> tuple[float, str, float, str | None, bool]:
    (f,) = find_figures(text, lang)
    return f.value, f.unit, f.scale, f.currency, f.change


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("uppgår till 245 miljarder dollar", "sv", (245, "money", 1e9, "USD", False)),
        ("utgör 66 procent av", "sv", (66, "percent", 1.0, None, False)),
        ("den 4 300 kilometer långa gränsen", "sv", (4300, "km", 1.0, None, False)),
        ("den 4\u00a0300 km långa gränsen", "sv", (4300, "km", 1.0, None, False)),
        ("1,8 biljoner yuan", "sv", (1.8, "money", 1e12, "CNY", False)),
        ("1.8 trillion roubles", "en", (1.8, "money", 1e12, "RUB", False)),
        ("2,5 miljoner kronor", "sv", (2.5, "money", 1e6, "SEK", False)),
        ("311 miljarder euro", "sv", (311, "money", 1e9, "EUR", False)),
        ("$245bn of trade", "en", (245, "money", 1e9, "USD", False)),
        ("a 4,300 km border", "en", (4300, "km", 1.0, None, False)),
        ("fyra procent", "sv", (4, "percent", 1.0, None, False)),
        ("four-fifths of its exports", "en", (80, "percent", 1.0, None, False)),
        ("fyra femtedelar av exporten", "sv", (80, "percent", 1.0, None, False)),
        ("en tredjedel av handeln", "sv", (33.3, "percent", 1.0, None, False)),
        ("tioprocentiga tullar", "sv", (10, "percent", 1.0, None, False)),
        ("34 procents av all rysk handel", "sv", (34, "percent", 1.0, None, False)),
        ("80-årsdagen av segern", "sv", (80, "years", 1.0, None, False)),
        ("the 80th anniversary", "en", (80, "years", 1.0, None, False)),
        ("ökade med 66 procent mellan 2021 och 2024", "sv", (66, "percent", 1.0, None, True)),
        ("minskade med 64 procent", "sv", (-64, "percent", 1.0, None, True)),
        ("imports fell by 64%", "en", (-64, "percent", 1.0, None, True)),
        ("trade was up 66% on 2021", "en", (66, "percent", 1.0, None, True)),
        ("3,5 procent", "sv", (3.5, "percent", 1.0, None, False)),
        ("3.5 per cent", "en", (3.5, "percent", 1.0, None, False)),
    ],
)
def test_figure_forms(text: str, lang: str, expected: tuple) -> None:
    value, unit, scale, currency, change = _one(text, lang)
    assert value == pytest.approx(expected[0])
    assert (unit, scale, currency, change) == expected[1:]


def test_swedish_and_english_scales_differ_on_billion() -> None:
    (sv,) = find_figures("en biljon är 1 biljon kronor", "sv")
    (en,) = find_figures("1 billion dollars", "en")
    assert sv.scale == 1e12 and en.scale == 1e9


def test_a_range_is_its_midpoint_with_bounds() -> None:
    (f,) = find_figures("mellan 10–15 procent", "sv")
    assert (f.value, f.low, f.high, f.qualifier) == (12.5, 10, 15, "about")


def test_numbers_and_years_without_units_are_no_figures() -> None:
    assert find_figures("två grannar möttes 2015 och 1901 med 300 soldater", "sv") == []


def test_parse_number_separators() -> None:
    assert parse_number("4 300", "sv") == 4300
    assert parse_number("1,8", "sv") == 1.8
    assert parse_number("4,300", "en") == 4300
    assert parse_number("1.8", "en") == 1.8
    assert parse_number("12\u202f000", "sv") == 12000


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("den 9 maj", "2025-05-09", "day"),
        ("9 May 2025", "2025-05-09", "day"),
        ("May 9, 2025", "2025-05-09", "day"),
        ("i mars 2022", "2022-03-01", "month"),
        ("in March", "2025-03-01", "month"),
        ("i juni", "2024-06-01", "month"),  # June lies after the article's May
        ("den 20 december", "2024-12-20", "day"),
        ("2019", "2019-01-01", "year"),
        ("i onsdags", "2025-05-07", "day"),
        ("last Wednesday", "2025-05-07", "day"),
        ("förra året", "2024-01-01", "year"),
        ("i fjol", "2024-01-01", "year"),
        ("last year", "2024-01-01", "year"),
        ("i går", "2025-05-11", "day"),
        ("yesterday", "2025-05-11", "day"),
        ("last week", "2025-05-05", "day"),
        ("förra månaden", "2025-04-01", "month"),
        ("för tre dagar sedan", "2025-05-09", "day"),
        ("2 weeks ago", "2025-04-28", "day"),
    ],
)
def test_dates(text: str, iso: str, precision: str) -> None:
    (d,) = find_dates(text, ARTICLE_DATE)
    assert (d.date.isoformat(), d.precision) == (iso, precision)


def test_days_later_count_from_the_date_before() -> None:
    found = find_dates(
        "Trump den 7 april tillkännagav, och två dagar senare sade han", ARTICLE_DATE
    )
    assert [d.date.isoformat() for d in found] == ["2025-04-07", "2025-04-09"]


def test_decades_addresses_and_modal_may_are_no_dates() -> None:
    assert (
        find_dates("under 1900-talet, the 1990s, https://x.se/2019/a, it may rain", ARTICLE_DATE)
        == []
    )


def test_span_of_years_gives_both_ends() -> None:
    found = find_dates("Julius Evola (1898-1974)", ARTICLE_DATE)
    assert [d.date.year for d in found] == [1898, 1974]


@pytest.mark.parametrize(
    ("form", "actor", "kind"),
    [
        ("Rysslands", "RUS", "genitive"),
        ("ryska", "RUS", "adjective"),
        ("Kinas", "CHN", "genitive"),
        ("kinesiska", "CHN", "adjective"),
        ("USA:s", "USA", "genitive"),
        ("amerikanska", "USA", "adjective"),
        ("Pekings", "CHN", "genitive"),
        ("Peking", "CHN", "name"),
        ("Moskva", "RUS", "name"),
        ("Kreml", "RUS", "name"),
        ("Washington", "USA", "name"),
        ("Vita huset", "USA", "name"),
        ("Putins", "putin", "genitive"),
        ("Xis", "xi", "genitive"),
        ("Trumps", "trump", "genitive"),
        ("China's", "CHN", "genitive"),
        ("Volodymyr Zelenskij", "zelensky", "fuzzy"),
    ],
)
def test_actor_forms(form: str, actor: str, kind: str) -> None:
    lexicon = actor_lexicon(load_corpus().actors)
    (m,) = lexicon.find(f"Det handlar om {form} roll.")
    assert (m.actor, m.form, m.text) == (actor, kind, form)


def test_near_stems_are_not_actors() -> None:
    lexicon = actor_lexicon(load_corpus().actors)
    assert lexicon.find("Både Putinismen och Kinesisktillverkad utrustning") == []


def test_sentences_with_abbreviations_and_offsets() -> None:
    text = (
        "Handeln ökade bl.a. med Kina, t.ex. olja. Det var ca. 4 procent, dvs. lite. "
        "Mr. Xi met U.S. officials. J. D. Vance spoke of 1.8 percent.\n\nNytt stycke här."
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Handeln ökade bl.a. med Kina, t.ex. olja.",
        "Det var ca. 4 procent, dvs. lite.",
        "Mr. Xi met U.S. officials.",
        "J. D. Vance spoke of 1.8 percent.",
        "Nytt stycke här.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert sentences[-1].paragraph == 1


ECONOMIST_SUMMARY = """Russia is hooked on China

Trade between Russia and China reached 245 billion dollars in 2024. Trade between the two countries rose by 66 percent between 2021 and 2024. China accounted for 34 percent of Russia's trade in 2024, while Russia made up just 4 percent of China's trade. The land border between Russia and China is 4,300 km long. Energy, oil and gas make up four-fifths of what Russia sells to China.

China's arms imports fell by 64 percent between 2020 and 2024 compared with the previous five years, according to SIPRI. Chinese direct investment in Russia was only $18bn in 2024. On 9 May 2025 Xi Jinping watched the victory parade in Moscow beside Vladimir Putin.
"""


def _english_candidates(tmp_path: Path):
    path = tmp_path / "economist_summary.txt"
    path.write_text(ECONOMIST_SUMMARY, encoding="utf-8")
    doc = read_document(path)
    assert doc.language == "en"
    return doc, propose(
        doc, actors=load_corpus().actors, source_id="econ2025", article_date=ARTICLE_DATE
    )


def test_english_summary_gives_its_figures_with_indicators(tmp_path: Path) -> None:
    _, candidates = _english_candidates(tmp_path)
    claims = {
        (c.record["value"], c.record["unit"]): c.record for c in candidates if c.kind == "claim"
    }
    expected = {
        (245, "money"): ("trade.bilateral.total", None),
        (66, "percent"): ("trade.bilateral.growth", None),
        (34, "percent"): ("trade.share_of_total", ("RUS", "CHN")),
        (4, "percent"): ("trade.share_of_total", ("CHN", "RUS")),
        (4300, "km"): ("border.length", None),
        (80, "percent"): ("exports.composition.energy_share", ("RUS", "CHN")),
        (-64, "percent"): ("arms.imports.change", None),
        (18, "money"): ("fdi.stock", ("CHN", "RUS")),
    }
    for key, (indicator, pair) in expected.items():
        assert key in claims, key
        assert claims[key]["indicator"] == indicator, key
        if pair:
            assert (claims[key]["actor"], claims[key].get("partner")) == pair, key
    assert claims[(245, "money")]["scale"] == 1e9 and claims[(245, "money")]["currency"] == "USD"
    assert claims[(66, "percent")]["comparison_period"] == "2021"
    assert claims[(66, "percent")]["period"] == "2024"
    assert claims[(-64, "percent")]["period"] == "2020-2024"
    assert claims[(-64, "percent")]["comparison_period"] == "2015-2019"
    events = [c.record for c in candidates if c.kind == "event"]
    assert any(e["date"] == "2025-05-09" and e["kind"] == "parade" for e in events)


def test_candidates_are_consistent_and_records_validate(tmp_path: Path) -> None:
    doc, candidates = _english_candidates(tmp_path)
    assert candidates == sorted(candidates, key=lambda c: c.start)
    valid = 0
    for c in candidates:
        assert doc.text[c.start : c.end] == c.sentence
        assert c.match and c.match in c.sentence
        assert c.record["id"] == "ingested." + c.id.removeprefix("cand-")
        assert c.record["source"] == "econ2025"
        assert 0 <= c.confidence <= 1
        text = c.record.get("statement") or c.record.get("summary") or c.record.get("rationale")
        assert "edit in your own words" in text and c.sentence not in text
        if any("does not validate" in n for n in c.notes):
            continue
        RECORD_TYPES[c.kind].model_validate(c.record)
        valid += 1
    assert valid >= len(candidates) * 0.8
    again = propose(
        doc, actors=load_corpus().actors, source_id="econ2025", article_date=ARTICLE_DATE
    )
    assert [c.id for c in again] == [c.id for c in candidates]


def test_missing_partner_lowers_confidence_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "Trade grew strongly last year, observers in many capitals noted this week. "
        "The bilateral trade of the two sides reached 50 billion dollars in 2024, a record.",
        encoding="utf-8",
    )
    doc = read_document(path)
    (claim,) = [
        c
        for c in propose(
            doc, actors=load_corpus().actors, source_id="s1", article_date=ARTICLE_DATE
        )
        if c.kind == "claim"
    ]
    assert claim.record["indicator"] == "trade.bilateral.total"
    assert any("no actor found" in n for n in claim.notes)
    assert claim.confidence < 0.7


@pytest.mark.parametrize(
    ("tail", "period", "comparison"),
    [
        ("in 2023, up 26 percent on 2022.", "2023", "2022"),
        ("in 2023, up 26 percent since 2021.", "2023", "2021"),
        ("in 2023, up 26 percent between 2019 and 2023.", "2023", "2019"),
    ],
)
def test_a_change_reads_its_comparison_year(
    tmp_path: Path, tail: str, period: str, comparison: str
) -> None:
    path = tmp_path / "c.txt"
    path.write_text(
        "Trade between Russia and China reached 210 billion dollars "
        + tail
        + " Moscow settles almost all of that trade in yuan, officials in both capitals say.",
        encoding="utf-8",
    )
    doc = read_document(path)
    growth = [
        c.record
        for c in propose(
            doc, actors=load_corpus().actors, source_id="s1", article_date=ARTICLE_DATE
        )
        if c.kind == "claim" and c.record["unit"] == "percent"
    ]
    assert [(g["indicator"], g["period"], g["comparison_period"]) for g in growth] == [
        ("trade.bilateral.growth", period, comparison)
    ]


def test_stance_cue_gives_a_low_confidence_stance(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text(
        "Vladimir Putin opposes the liberal order in every speech he gives to his officials. "
        "Donald Trump supports tariffs as an instrument of his policy towards China.",
        encoding="utf-8",
    )
    doc = read_document(path)
    stances = [
        c.record
        for c in propose(
            doc, actors=load_corpus().actors, source_id="s1", article_date=ARTICLE_DATE
        )
        if c.kind == "stance"
    ]
    assert {(s["actor"], s["target"], s["score"]) for s in stances} >= {
        ("putin", "liberal_order", -1),
        ("trump", "tariffs", 1),
    }


def test_progress_is_reported(tmp_path: Path) -> None:
    doc, _ = _english_candidates(tmp_path)
    seen: list[tuple[int, int]] = []
    propose(
        doc,
        actors=load_corpus().actors,
        source_id="s",
        article_date=ARTICLE_DATE,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen and seen[-1][0] == seen[-1][1] == len(split_sentences(doc.text))


def test_seed_text_reaches_the_quality_figures(shared_data: Path) -> None:
    """The benchmark on the seed text meets the goals of issue 19 (its exit code says so)."""
    seeds = sorted((shared_data.parent / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("no seed text beside ../shared/data")
    bench = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_ingest.py"
    env = {**os.environ, "POWERBALANCE_SHARED_DATA": str(shared_data)}
    run = subprocess.run(
        [sys.executable, str(bench), "--json", "--articles", "4"],
        capture_output=True, text=True, env=env, check=False, timeout=300,
    )  # fmt: skip
    result = json.loads(run.stdout)
    assert result["figure_recall"] >= 0.90, result["figures_missed"]
    assert result["indicator_right_share"] >= 0.75
    assert result["event_recall"] >= 0.90, result["events_missed"]
    assert result["figure_precision"] >= 0.70
    assert run.returncode == 0, run.stderr
