"""Candidate claims, events and stances proposed from a document's sentences.

Claims. Each figure with a unit (:mod:`.figures`) proposes a claim. Its
indicator is that of the keyword rule (``rules.yaml``) whose keyword stands
closest to the figure in the sentence, among the rules of the figure's unit
and of its kind (a change or a level). Its actor and partner follow the pair
convention of :mod:`powerbalance.evidence.vocabulary` (the actor owns the
quantity): the owner is the actor named in the genitive or as an adjective
right after the figure ("34 procent av all *rysk* handel", "4 percent of
*China's*"), else the closest such form before it ("*Kinas* vapenimport",
"*EU:s* direktinvesteringar"), else the first actor named; the partner is the
closest other state or bloc. When the sentence names none, the states of the
sentences just before are used, and the notes say so. The period is the year
(or date) closest to the figure; a change takes its two years ("mellan 2021
och 2024": comparison 2021, period 2024; "mellan 2020 och 2024 i förhållande
till de fem åren innan": period 2020-2024, comparison 2015-2019).

Events. A sentence with a date and an event word proposes one event a date;
the kind is that of the word closest to the date (specific kinds preferred).
A person followed by two years in brackets ("Evola (1898-1974)") proposes a
birth and a death.

Stances. A cue word ("motsätter sig", "stöder", "oppose", "support") between
an actor and an issue word or another actor proposes a stance with score
±1 or ±2 and a low confidence.

Confidence. A claim starts at 0.2 and gains 0.3 when an indicator keyword is
found, 0.2 when an actor is named in the sentence, 0.15 for a unit (always, a
figure has one) and 0.15 when the sentence gives the year; it loses 0.2 when a
partner the indicator needs is missing. An event starts at 0.4, gains 0.2 for
a day or month date, 0.2 when an actor is named in the sentence; a relative
date costs 0.1. A stance is 0.3, 0.4 with an actor named in the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from powerbalance.evidence.candidates import Candidate
from powerbalance.evidence.ingest.actors import ActorLexicon, Mention
from powerbalance.evidence.ingest.dates import DateMention, find_dates
from powerbalance.evidence.ingest.document import Document, is_heading_paragraph
from powerbalance.evidence.ingest.figures import Figure, find_figures
from powerbalance.evidence.ingest.sentences import Sentence, split_sentences
from powerbalance.evidence.models import RECORD_TYPES, Actor
from powerbalance.evidence.vocabulary import EVENT_KINDS, INDICATORS, ISSUES

TEMPLATE_NOTE = "(proposed from an article; edit in your own words)"


@dataclass(frozen=True)
class _IndicatorRule:
    indicator: str
    units: tuple[str, ...]
    change: bool | None
    priority: int
    keywords: re.Pattern[str]
    requires: re.Pattern[str] | None


@dataclass(frozen=True)
class _KindRule:
    kind: str
    priority: int
    keywords: re.Pattern[str]


@dataclass(frozen=True)
class Rules:
    """The keyword rules of ``rules.yaml``, compiled."""

    indicators: tuple[_IndicatorRule, ...]
    events: tuple[_KindRule, ...]
    cues: tuple[tuple[re.Pattern[str], int], ...]
    issues: tuple[tuple[str, re.Pattern[str]], ...]
    demonyms: dict[str, list[str]] = field(default_factory=dict)


def _words(patterns: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(patterns) + r")", re.IGNORECASE)


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """Read and compile ``rules.yaml`` (once)."""
    data = yaml.safe_load((Path(__file__).parent / "rules.yaml").read_text(encoding="utf-8"))
    indicators = []
    for r in data["indicators"]:
        if r["indicator"] not in INDICATORS:
            raise ValueError(f"rules.yaml names an unknown indicator {r['indicator']!r}")
        indicators.append(
            _IndicatorRule(
                r["indicator"],
                tuple(r["units"]),
                r.get("change"),
                int(r.get("priority", 0)),
                _words(r["keywords"]),
                _words(r["requires"]) if r.get("requires") else None,
            )
        )
    events = []
    for kind, r in data["events"].items():
        if kind not in EVENT_KINDS:
            raise ValueError(f"rules.yaml names an unknown event kind {kind!r}")
        events.append(_KindRule(kind, int(r.get("priority", 0)), _words(r["keywords"])))
    cues = tuple(
        (re.compile(r"(?<![\w])(?:" + c["pattern"] + r")(?![\w])", re.IGNORECASE), int(c["score"]))
        for c in data["stances"]["cues"]
    )
    issues = []
    for issue, words in data["stances"]["issues"].items():
        if issue not in ISSUES:
            raise ValueError(f"rules.yaml names an unknown issue {issue!r}")
        issues.append((issue, _words(words)))
    return Rules(tuple(indicators), tuple(events), cues, tuple(issues), data["demonyms"])


_LEXICONS: dict[tuple[Any, ...], ActorLexicon] = {}


def actor_lexicon(actors: Sequence[Actor]) -> ActorLexicon:
    """The lexicon of ``actors``, built once per distinct set of actors' names."""
    key = tuple((a.id, a.kind, a.name_en, a.name_sv, tuple(a.aliases), a.country) for a in actors)
    if key not in _LEXICONS:
        if len(_LEXICONS) > 8:
            _LEXICONS.clear()
        _LEXICONS[key] = ActorLexicon(actors, load_rules().demonyms)
    return _LEXICONS[key]


def _distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


def _closest_keyword(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    best: int | None = None
    for m in pattern.finditer(text):
        d = _distance(start, end, m.start(), m.end())
        best = d if best is None else min(best, d)
    return best


def choose_indicator(sentence: str, figure: Figure) -> str | None:
    """The indicator of the rule whose keyword stands closest to ``figure`` (None: no rule)."""
    best: tuple[int, str] | None = None
    for rule in load_rules().indicators:
        if figure.unit not in rule.units:
            continue
        if rule.change is not None and rule.change != figure.change:
            continue
        if rule.requires is not None and not rule.requires.search(sentence):
            continue
        d = _closest_keyword(rule.keywords, sentence, figure.start, figure.end)
        if d is None:
            continue
        score = d - rule.priority
        if best is None or score < best[0]:
            best = (score, rule.indicator)
    return best[1] if best else None


def _period_of(
    sentence: str, figure: Figure, dates: list[DateMention], article: date
) -> tuple[Any, Any, list[str]]:
    """(period, comparison period, notes) of a figure."""
    notes: list[str] = []
    years = [d for d in dates if d.precision == "year"]
    if figure.change:
        after = sentence[figure.end : figure.end + 120]
        m = re.search(
            r"(?:mellan|between|från|from)\s+(\d{4})\s+(?:och|and|till|to|[-–])\s+(\d{4})",
            after,
            re.I,
        )
        if m:
            first, last = int(m.group(1)), int(m.group(2))
            span = re.search(
                r"(?:i förhållande till|jämfört med|compared (?:with|to)|against|relative to)\s+"
                r"(?:de|the)\s+(?:(\d+)|(\w+))\s+(?:åren|years)\s+(?:innan|före|dessförinnan|before|earlier|previous)"
                r"|(?:compared (?:with|to)|against|relative to)\s+the\s+(?:previous|preceding)\s+(?:(\d+)|(\w+))\s+years",
                sentence[figure.end + m.end() : figure.end + m.end() + 80],
                re.I,
            )
            if span:
                n_text = span.group(1) or span.group(2) or span.group(3) or span.group(4)
                n = (
                    int(n_text)
                    if n_text.isdigit()
                    else _YEAR_WORDS.get(n_text.lower(), last - first + 1)
                )
                return f"{first}-{last}", f"{first - n}-{first - 1}", notes
            return str(last), str(first), notes
        m = re.search(
            r"(?:sedan|since|jämfört med|compared with|from)\s+(\d{4})", sentence, re.I
        ) or re.search(r"^\W*(?:on|over|mot)\s+(\d{4})\b", after, re.I)
        if m:
            later = [d for d in years if d.date.year > int(m.group(1))]
            last_year = later[0].date.year if later else article.year
            return str(last_year), m.group(1), notes
        notes.append("no comparison period found in the sentence; add it")
    if dates:
        closest = min(dates, key=lambda d: _distance(figure.start, figure.end, d.start, d.end))
        if closest.precision == "day":
            iso = closest.date.isoformat()
            return {"start": iso, "end": iso}, None, notes
        if closest.precision == "month":
            return closest.date.strftime("%Y-%m"), None, notes
        return str(closest.date.year), None, notes
    notes.append(f"no year in the sentence; period set to the article's year {article.year}")
    return str(article.year), None, notes


_YEAR_WORDS = {"två": 2, "two": 2, "tre": 3, "three": 3, "fyra": 4, "four": 4, "fem": 5,
               "five": 5, "sex": 6, "six": 6, "tio": 10, "ten": 10}  # fmt: skip


def _claim_actors(
    sentence: str, figure: Figure, mentions: list[Mention], lexicon: ActorLexicon,
    context: list[str],
) -> tuple[str | None, str | None, bool]:  # fmt: skip
    """(actor, partner, from_context) by the pair convention: the actor owns the quantity."""
    states = [(m, lexicon.state_of(m.actor)) for m in mentions]
    states = [(m, s) for m, s in states if s is not None]
    owner: str | None = None
    after = [
        (m, s)
        for m, s in states
        if m.start >= figure.end
        and m.form in ("genitive", "adjective")
        and re.fullmatch(r"\s*(?:av|of|för|for)\s+(?:\w+\s+){0,3}", sentence[figure.end : m.start])
    ]
    if after:
        owner = after[0][1]
    else:
        before = [
            (m, s)
            for m, s in states
            if m.end <= figure.start and m.form in ("genitive", "adjective")
        ]
        if before:
            owner = before[-1][1]
        elif states:
            owner = states[0][1]
    from_context = False
    if owner is None:
        if not context:
            return None, None, False
        owner, from_context = context[0], True
    others = sorted(
        ((m, s) for m, s in states if s != owner),
        key=lambda ms: _distance(figure.start, figure.end, ms[0].start, ms[0].end),
    )
    partner = others[0][1] if others else next((c for c in context if c != owner), None)
    if not others and partner is not None:
        from_context = True
    return owner, partner, from_context


def _money_text(figure: Figure) -> str:
    names = {1e3: "thousand", 1e6: "million", 1e9: "billion", 1e12: "trillion"}
    value = f"{figure.value:,.10g}"
    scale = names.get(figure.scale, f"x{figure.scale:g}" if figure.scale != 1 else "")
    return " ".join(p for p in (value, scale, figure.currency or "(currency?)") if p)


def _value_text(figure: Figure) -> str:
    if figure.unit == "money":
        return _money_text(figure)
    unit = {"percent": "percent", "km": "km", "years": "years"}[figure.unit]
    if figure.change:
        return f"{figure.value:+,.10g} {unit}"
    return f"{figure.value:,.10g} {unit}"


def _section_names(doc: Document, sentences: list[Sentence]) -> dict[int, str]:
    """The section of each paragraph: the heading before it, or ``paragraph N``."""
    names: dict[int, str] = {}
    heading: str | None = None
    count = 0
    for index, paragraph in enumerate(doc.text.split("\n\n")):
        if is_heading_paragraph(paragraph):
            heading = paragraph.strip()
            names[index] = heading
            continue
        count += 1
        names[index] = heading if heading is not None else f"paragraph {count}"
    return names


def _validates(kind: str, record: dict[str, Any]) -> str | None:
    try:
        RECORD_TYPES[kind].model_validate(record)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"the record does not validate yet ({where}: {first.get('msg', '')}); edit it"
    return None


class _Builder:
    def __init__(self, doc: Document, source_id: str) -> None:
        self.doc = doc
        self.source_id = source_id
        self.out: list[Candidate] = []
        self.seen: set[str] = set()

    def add(
        self, kind: str, record: dict[str, Any], sentence: Sentence, match: str,
        confidence: float, notes: list[str],
    ) -> None:  # fmt: skip
        cid = Candidate.make_id(self.doc.sha256, kind, sentence.start, sentence.end, match)
        if cid in self.seen:
            return
        self.seen.add(cid)
        record = {"id": "ingested." + cid.removeprefix("cand-"), **record, "source": self.source_id}
        problem = _validates(kind, record)
        notes = list(notes)
        if problem:
            notes.append(problem)
            confidence -= 0.1
        self.out.append(
            Candidate(
                id=cid,
                kind=kind,  # type: ignore[arg-type]
                record=record,
                document=self.doc.name,
                document_sha256=self.doc.sha256,
                language=self.doc.language,
                sentence=sentence.text,
                start=sentence.start,
                end=sentence.end,
                match=match,
                confidence=round(min(1.0, max(0.0, confidence)), 2),
                notes=notes,
            )
        )


def propose(
    doc: Document,
    *,
    actors: Sequence[Actor],
    source_id: str,
    article_date: date,
    progress: Callable[[int, int], None] | None = None,
) -> list[Candidate]:
    """Candidate claims, events and stances of ``doc``, in document order.

    Parameters
    ----------
    doc : the document read by :func:`read_document`.
    actors : the evidence actors to look for (the corpus's and the store's).
    source_id : the id of the source record the candidates cite.
    article_date : the article's date, the base of relative dates.
    progress : called with (sentences done, sentences in all).

    Returns
    -------
    list of Candidate
        Pending candidates; their records are templates for a reviewer to edit.
    """
    rules = load_rules()
    lexicon = actor_lexicon(actors)
    sentences = split_sentences(doc.text)
    sections = _section_names(doc, sentences)
    builder = _Builder(doc, source_id)
    context: list[str] = []  # states named in the last sentences, latest first
    previous_date: date | None = None
    total = len(sentences)
    for done, sentence in enumerate(sentences, start=1):
        text = sentence.text
        section = sections.get(sentence.paragraph, f"paragraph {sentence.paragraph + 1}")
        mentions = lexicon.find(text)
        dates = find_dates(text, article_date, previous_date)
        figures = find_figures(text, doc.language)
        items: list[tuple[int, str, dict[str, Any], str, float, list[str]]] = []
        figure_years: set[int] = set()
        for figure in figures:
            items.append(
                _claim(text, figure, mentions, dates, lexicon, context, article_date, section)
            )
            for d in dates:
                if (
                    d.precision == "year"
                    and _distance(figure.start, figure.end, d.start, d.end) < 60
                ):
                    figure_years.add(d.start)
        items.extend(_events(text, dates, mentions, context, section, rules, figure_years))
        items.extend(_stances(text, mentions, context, section, rules))
        for _, kind, record, match, confidence, notes in sorted(items, key=lambda i: i[0]):
            builder.add(kind, record, sentence, match, confidence, notes)
        named = [s for s in (lexicon.state_of(m.actor) for m in mentions) if s]
        if named:
            context = list(dict.fromkeys([*reversed(named), *context]))[:4]
        day_dates = [d.date for d in dates if d.precision == "day"]
        if day_dates:
            previous_date = day_dates[-1]
        if progress is not None:
            progress(done, total)
    return builder.out


def _claim(
    text: str, figure: Figure, mentions: list[Mention], dates: list[DateMention],
    lexicon: ActorLexicon, context: list[str], article: date, section: str,
) -> tuple[int, str, dict[str, Any], str, float, list[str]]:  # fmt: skip
    notes: list[str] = []
    confidence = 0.2 + 0.15  # a figure always has its unit
    indicator = choose_indicator(text, figure)
    if indicator is not None:
        confidence += 0.3
    else:
        notes.append(
            "no indicator keyword near the figure; choose an indicator "
            "(`powerbalance evidence vocabulary`)"
        )
    actor, partner, from_context = _claim_actors(text, figure, mentions, lexicon, context)
    if actor is not None and not from_context:
        confidence += 0.2
    if from_context:
        notes.append("actors not named in the sentence; taken from the sentences before it")
    if actor is None:
        notes.append("no actor found; name the actor the figure belongs to")
    period, comparison, period_notes = _period_of(text, figure, dates, article)
    notes.extend(period_notes)
    if not any("period set to" in n for n in period_notes):
        confidence += 0.15
    info = INDICATORS.get(indicator) if indicator else None
    record: dict[str, Any] = {}
    if indicator:
        record["indicator"] = indicator
    if actor:
        record["actor"] = actor
    if info is not None and info.pair:
        if partner:
            record["partner"] = partner
        else:
            confidence -= 0.2
            notes.append("the indicator needs a partner and none was found; add it")
    value = figure.value
    record["value"] = int(value) if float(value).is_integer() else value
    record["unit"] = figure.unit
    if figure.unit == "money":
        if figure.currency:
            record["currency"] = figure.currency
        else:
            notes.append("no currency found; add it")
        record["scale"] = figure.scale
    if figure.qualifier != "exact":
        record["qualifier"] = figure.qualifier
    if figure.low is not None:
        notes.append(f"a range {figure.low:g}-{figure.high:g}; the value is its midpoint")
    record["period"] = period
    if comparison is not None:
        record["comparison_period"] = comparison
    if figure.unit == "percent" and info is not None and info.change and comparison is None:
        confidence -= 0.1
    record["section"] = section
    who = actor or "(actor?)"
    if partner and info is not None and info.pair:
        who = f"{who} and {partner}"
    label = indicator or "(indicator?)"
    when = period if isinstance(period, str) else period["start"]
    since = f" against {comparison}" if comparison else ""
    record["statement"] = (
        f"{label} of {who}: {_value_text(figure)} in {when}{since} {TEMPLATE_NOTE}."
    )
    return figure.start, "claim", record, figure.text, confidence, notes


def _events(
    text: str, dates: list[DateMention], mentions: list[Mention], context: list[str],
    section: str, rules: Rules, figure_years: set[int],
) -> list[tuple[int, str, dict[str, Any], str, float, list[str]]]:  # fmt: skip
    out: list[tuple[int, str, dict[str, Any], str, float, list[str]]] = []
    lifespan = re.compile(r"\((\d{4})\s?[-–]\s?(\d{4})\)")
    life = {m.start(1) for m in lifespan.finditer(text)} | {
        m.start(2) for m in lifespan.finditer(text)
    }
    persons = [m for m in mentions]
    for d in dates:
        notes: list[str] = []
        if d.start in life or d.start - 0 in life:
            kind = "biography"
            close = [m for m in persons if m.end <= d.start]
            actors_here = [close[-1].actor] if close else []
        else:
            best: tuple[int, str] | None = None
            for rule in rules.events:
                dist = _closest_keyword(rule.keywords, text, d.start, d.end)
                if dist is None:
                    continue
                score = dist - rule.priority
                if best is None or score < best[0]:
                    best = (score, rule.kind)
            if best is None:
                continue
            if d.start in figure_years and best[1] not in ("sanctions", "tariff", "agreement"):
                continue  # a figure's year, not an event's
            kind = best[1]
            actors_here = list(dict.fromkeys(m.actor for m in mentions))
        confidence = 0.4 + (0.2 if d.precision in ("day", "month") else 0.0)
        if actors_here:
            confidence += 0.2
        else:
            actors_here = context[:2]
            notes.append(
                "no actor named in the sentence; actors taken from the sentences before it"
            )
        if d.relative:
            confidence -= 0.1
            notes.append(f"date read from '{d.text}' relative to the article's date; check it")
        if d.approximate:
            notes.append("the date is approximate (a week, not a day)")
        date_text = (
            d.date.isoformat() if d.precision == "day"
            else d.date.strftime("%Y-%m") if d.precision == "month" else str(d.date.year)
        )  # fmt: skip
        record: dict[str, Any] = {
            "date": d.date.isoformat(),
            "date_precision": d.precision,
            "actors": actors_here,
            "kind": kind,
            "summary": f"{kind.capitalize()} involving {', '.join(actors_here) or '(actors?)'} "
            f"on {date_text} {TEMPLATE_NOTE}.",
            "section": section,
        }
        out.append((d.start, "event", record, d.text, confidence, notes))
    return out


def _stances(
    text: str, mentions: list[Mention], context: list[str], section: str, rules: Rules,
) -> list[tuple[int, str, dict[str, Any], str, float, list[str]]]:  # fmt: skip
    out: list[tuple[int, str, dict[str, Any], str, float, list[str]]] = []
    for pattern, score in rules.cues:
        for m in pattern.finditer(text):
            notes = ["a cue word is weak evidence of a position; check the score"]
            before = [x for x in mentions if x.end <= m.start()]
            if before:
                actor = before[-1].actor
                confidence = 0.4
            elif context:
                actor = context[0]
                confidence = 0.3
                notes.append("the actor is not named in the sentence; taken from before it")
            else:
                continue
            target: tuple[int, str, str] | None = None
            for issue, words in rules.issues:
                w = words.search(text, m.end())
                if w and (target is None or w.start() < target[0]):
                    target = (w.start(), issue, "issue")
            after = [x for x in mentions if x.start >= m.end() and x.actor != actor]
            if after and (target is None or after[0].start < target[0]):
                target = (after[0].start, after[0].actor, "actor")
            if target is None:
                continue
            direction = "for" if score > 0 else "against"
            record = {
                "actor": actor,
                "target": target[1],
                "target_kind": target[2],
                "score": score,
                "rationale": f"{actor} appears {direction} {target[1]} (score {score:+d}) {TEMPLATE_NOTE}.",
                "section": section,
            }
            out.append((m.start(), "stance", record, m.group(0), confidence, notes))
    return out
