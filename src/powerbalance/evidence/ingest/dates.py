"""Dates in Swedish and English text, absolute and relative to the article's date.

Forms read, each with a precision:

- day: ``den 9 maj 2025``, ``9 May 2025``, ``May 9, 2025``; ``den 9 maj`` and
  ``9 May`` take the year that puts them on or before the article's date
  (within a week after it, for a date announced ahead);
- month: ``i mars 2022``, ``March 2022``; ``i mars``, ``in March`` (after a
  preposition) take the latest such month up to the article's month;
- year: ``2019``, ``1898-1974`` (two years), ``2020–24``;
- relative: ``i går``, ``i dag``, ``i förrgår``, ``yesterday``, ``today`` and a
  weekday (``i onsdags``, ``last Wednesday``) to the day; ``förra veckan``,
  ``last week`` to the day a week before (flagged approximate); ``förra
  månaden``, ``last month`` to the month; ``förra året``, ``i fjol``, ``last
  year``, ``i år``, ``this year`` to the year; ``för tre dagar sedan``,
  ``2 weeks ago`` through dateparser (offline, RELATIVE_BASE the article's
  date); ``två dagar senare``, ``two days later`` counted from the date
  mentioned just before.

A year is a four-digit number from 1800 to 2099 that is not part of a larger
number, a decade (``1900-talet``, ``the 1990s``) or a web address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

Precision = Literal["day", "month", "year"]

MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "april": 4, "apr": 4, "maj": 5, "may": 5, "juni": 6, "june": 6,
    "jun": 6, "juli": 7, "july": 7, "jul": 7, "augusti": 8, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    "måndags": 0, "tisdags": 1, "onsdags": 2, "torsdags": 3, "fredags": 4, "lördags": 5,
    "söndags": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}  # fmt: skip
COUNT_WORDS: dict[str, int] = {
    "en": 1, "ett": 1, "one": 1, "a": 1, "två": 2, "two": 2, "tre": 3, "three": 3,
    "fyra": 4, "four": 4, "fem": 5, "five": 5, "sex": 6, "six": 6, "sju": 7, "seven": 7,
    "tio": 10, "ten": 10,
}  # fmt: skip

# "May" is an English modal verb too: the month is read only with a capital M.
_MONTH = r"(?:januari|january|februari|february|mars|march|april|maj|(?-i:May)|juni|june|juli|july|augusti|august|september|oktober|october|november|december|(?:jan|feb|apr|jun|jul|aug|sept|sep|okt|oct|nov|dec)\b\.?)(?![\w])"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_COUNT = r"(?:\d+|" + "|".join(COUNT_WORDS) + r")"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("dmy", re.compile(r"\b(?P<d>\d{1,2})(?:\.|:e|st|nd|rd|th)?\s+(?:of\s+)?(?P<m>" + _MONTH + r")\s*,?\s+(?P<y>" + _YEAR + r")\b", re.I)),
    ("mdy", re.compile(r"\b(?P<m>" + _MONTH + r")\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>" + _YEAR + r")\b", re.I)),
    ("dm", re.compile(r"\b(?P<d>\d{1,2})(?:\.|:e|st|nd|rd|th)?\s+(?:of\s+)?(?P<m>" + _MONTH + r")", re.I)),
    ("md", re.compile(r"\b(?P<m>" + _MONTH + r")\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?![.,]?\d)", re.I)),
    ("my", re.compile(r"\b(?P<m>" + _MONTH + r")\s+(?P<y>" + _YEAR + r")\b", re.I)),
    ("m", re.compile(r"\b(?:i|in|under|during|sedan|since|från|from|until|till|by|före|before|efter|after|i\s+början\s+av|i\s+slutet\s+av|early|late|mid-)\s+(?P<m>" + _MONTH + r")", re.I)),
    ("range", re.compile(r"(?<![\w/.:-])(?P<y>" + _YEAR + r")\s?[-–]\s?(?P<y2>" + _YEAR + r"|\d\d)(?![\w/-])", re.I)),
    ("y", re.compile(r"(?<![\w/.:,-])(?P<y>" + _YEAR + r")(?![\w/]|-tal|\s?[-–]\s?\d|s\b|'s|,\d|\.\d)", re.I)),
    ("rel", re.compile(r"\b(?P<rel>i\s+går|igår|i\s+förrgår|i\s+dag|idag|i\s+morse|yesterday|today|förra\s+veckan|last\s+week|förra\s+månaden|last\s+month|förra\s+året|i\s+fjol|ifjol|last\s+year|i\s+år|this\s+year|nästa\s+år|next\s+year)\b", re.I)),
    ("weekday", re.compile(r"\b(?:i\s+(?P<sv>måndags|tisdags|onsdags|torsdags|fredags|lördags|söndags)|(?:last|on)\s+(?P<en>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b", re.I)),
    ("ago", re.compile(r"\b(?:för\s+(?P<n1>" + _COUNT + r")\s+(?P<u1>dagar|dag|veckor|vecka|månader|månad|år)\s+sedan|(?P<n2>" + _COUNT + r")\s+(?P<u2>days?|weeks?|months?|years?)\s+ago)\b", re.I)),
    ("later", re.compile(r"\b(?P<n>" + _COUNT + r")\s+(?P<u>dagar|dag|veckor|vecka|days?|weeks?)\s+(?:senare|därpå|efter(?:åt)?|later|after(?:wards)?)\b|\b(?P<next>dagen\s+därpå|dagen\s+efter|the\s+next\s+day|the\s+following\s+day)\b", re.I)),
]  # fmt: skip

_REL_DAYS = {"i går": -1, "igår": -1, "yesterday": -1, "i förrgår": -2, "i dag": 0, "idag": 0,
             "i morse": 0, "today": 0, "förra veckan": -7, "last week": -7}  # fmt: skip
_REL_MONTHS = {"förra månaden": -1, "last month": -1}
_REL_YEARS = {"förra året": -1, "i fjol": -1, "ifjol": -1, "last year": -1, "i år": 0,
              "this year": 0, "nästa år": 1, "next year": 1}  # fmt: skip


@dataclass(frozen=True)
class DateMention:
    """A date read at ``start:end`` of the text searched, to ``precision``."""

    start: int
    end: int
    text: str
    date: date
    precision: Precision
    relative: bool = False
    approximate: bool = False
    in_range: bool = False  # one end of a span of years ("1898-1974")


def _month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _day_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int | None, article: date) -> int:
    candidate = date(article.year, month, min(day or 1, 28))
    if day is not None:
        return article.year - 1 if candidate > article + timedelta(days=7) else article.year
    return article.year - 1 if month > article.month else article.year


def _count(word: str) -> int:
    return int(word) if word.isdigit() else COUNT_WORDS[word.lower()]


def _dateparser(phrase: str, article: date) -> date | None:
    import dateparser

    found = dateparser.parse(
        phrase,
        languages=["sv", "en"],
        settings={
            "RELATIVE_BASE": datetime(article.year, article.month, article.day),
            "PREFER_DATES_FROM": "past",
        },
    )
    return found.date() if found is not None else None


def _shift_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def find_dates(text: str, article: date, previous: date | None = None) -> list[DateMention]:
    """Every date mentioned in ``text``, in order, relative ones resolved against ``article``.

    Parameters
    ----------
    text : the text searched (a sentence).
    article : the article's date, the base of relative dates.
    previous : the last date mentioned before ``text`` (the base of "two days later").

    Examples
    --------
    >>> [(d.date.isoformat(), d.precision) for d in find_dates("den 9 maj och i fjol", date(2025, 5, 12))]
    [('2025-05-09', 'day'), ('2024-01-01', 'year')]
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in taken)

    def add(m: re.Match[str], when: date | None, precision: Precision, **flags: bool) -> None:
        if when is None:
            return
        found.append(DateMention(m.start(), m.end(), m.group(0), when, precision, **flags))
        taken.append((m.start(), m.end()))

    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()) or kind == "later":
                continue
            if kind in ("dmy", "mdy"):
                add(m, _day_date(int(m["y"]), _month_number(m["m"]), int(m["d"])), "day")
            elif kind in ("dm", "md"):
                month, day = _month_number(m["m"]), int(m["d"])
                add(m, _day_date(_infer_year(month, day, article), month, day), "day")
            elif kind == "my":
                add(m, date(int(m["y"]), _month_number(m["m"]), 1), "month")
            elif kind == "m":
                month = _month_number(m["m"])
                start = m.start("m")
                if not free(start, m.end()):
                    continue
                when = date(_infer_year(month, None, article), month, 1)
                found.append(
                    DateMention(start, m.end(), m.group("m"), when, "month", relative=True)
                )
                taken.append((start, m.end()))
            elif kind == "range":
                first = int(m["y"])
                last_text = m["y2"]
                last = (
                    int(last_text) if len(last_text) == 4 else (first // 100) * 100 + int(last_text)
                )
                if last < first:
                    continue
                y_end = m.start("y2")
                found.append(
                    DateMention(
                        m.start(), m.end("y"), m["y"], date(first, 1, 1), "year", in_range=True
                    )
                )
                found.append(
                    DateMention(y_end, m.end(), last_text, date(last, 1, 1), "year", in_range=True)
                )
                taken.append((m.start(), m.end()))
            elif kind == "y":
                if re.search(r"https?://\S*$", text[: m.start()]):
                    continue
                add(m, date(int(m["y"]), 1, 1), "year")
            elif kind == "rel":
                rel = re.sub(r"\s+", " ", m["rel"].lower())
                if rel in _REL_DAYS:
                    add(m, article + timedelta(days=_REL_DAYS[rel]), "day", relative=True,
                        approximate=rel in ("förra veckan", "last week"))  # fmt: skip
                elif rel in _REL_MONTHS:
                    add(
                        m,
                        _shift_months(date(article.year, article.month, 1), _REL_MONTHS[rel]),
                        "month",
                        relative=True,
                    )
                else:
                    add(m, date(article.year + _REL_YEARS[rel], 1, 1), "year", relative=True)
            elif kind == "weekday":
                wd = WEEKDAYS[(m["sv"] or m["en"]).lower()]
                back = (article.weekday() - wd) % 7 or 7
                add(m, article - timedelta(days=back), "day", relative=True)
            elif kind == "ago":
                unit = (m["u1"] or m["u2"]).lower()
                n = _count(m["n1"] or m["n2"])
                precision: Precision = "year"
                if unit.startswith(("dag", "day")):
                    english, precision = "days", "day"
                elif unit.startswith(("veck", "week")):
                    english, precision = "weeks", "day"
                elif unit.startswith(("mån", "month")):
                    english, precision = "months", "month"
                else:
                    english = "years"
                ago = _dateparser(f"{n} {english} ago", article)
                if ago is not None and precision == "month":
                    ago = date(ago.year, ago.month, 1)
                elif ago is not None and precision == "year":
                    ago = date(ago.year, 1, 1)
                add(m, ago, precision, relative=True)
    found.sort(key=lambda d: d.start)
    # "two days later": counted from the date mentioned just before it.
    later = [m for m in _PATTERNS[-1][1].finditer(text) if free(m.start(), m.end())]
    for m in later:
        base = next(
            (d for d in reversed(found) if d.start < m.start() and d.precision == "day"), None
        )
        base_date = base.date if base is not None else previous
        if base_date is None:
            continue
        if m["next"]:
            days = 1
        else:
            days = _count(m["n"]) * (7 if m["u"].lower().startswith(("veck", "week")) else 1)
        found.append(
            DateMention(
                m.start(),
                m.end(),
                m.group(0),
                base_date + timedelta(days=days),
                "day",
                relative=True,
            )
        )
    found.sort(key=lambda d: d.start)
    return found
