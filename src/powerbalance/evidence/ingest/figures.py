"""Figures with units, scales and currencies, in Swedish and English.

A figure is a number and what it counts: ``245 miljarder dollar`` (245, scale
10^9, money in USD), ``66 procent``, ``4 300 kilometer``, ``$1.8 trillion``,
``fyra procent``, ``tioprocentiga`` (10 percent), ``four-fifths of``
(80 percent), ``80-årsdagen`` / ``80th anniversary`` (80 years), a range
(``10–15 procent``: the midpoint, qualifier ``about``) and a change
(``ökade med 66 procent``, ``fell by 64%``: a change, negative when it fell).
A number without a unit (a year, "två grannar") is not a figure.

Numbers. White space, a no-break space or a narrow no-break space between
groups of three digits separates thousands (``4 300``). In Swedish the comma
is the decimal sign (``1,8``) and a point before exactly three digits
separates thousands (``4.300``); in English the point is the decimal sign and
a comma before groups of three digits separates thousands (``4,300``).

Scales. Swedish *miljard* is 10^9 and *biljon* 10^12 (the long scale); English
*billion* is 10^9 and *trillion* 10^12 (the short scale); *miljon*/*million*
10^6, *tusen*/*thousand* 10^3. ``bn``, ``mdr``, ``tn`` and ``mn`` are read as
their words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

FigureUnit = Literal["percent", "money", "km", "years"]

SCALES: dict[str, float] = {
    "tusen": 1e3, "thousand": 1e3, "thousands": 1e3,
    "miljon": 1e6, "miljoner": 1e6, "milj": 1e6, "milj.": 1e6, "mn": 1e6,
    "million": 1e6, "millions": 1e6, "m": 1e6,
    "miljard": 1e9, "miljarder": 1e9, "mdr": 1e9, "md": 1e9,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "bln": 1e9,
    "biljon": 1e12, "biljoner": 1e12, "trillion": 1e12, "trillions": 1e12, "tn": 1e12,
}  # fmt: skip

CURRENCIES: dict[str, str] = {
    "dollar": "USD", "dollars": "USD", "dollarn": "USD", "us-dollar": "USD", "usd": "USD",
    "$": "USD", "us$": "USD",
    "yuan": "CNY", "cny": "CNY", "renminbi": "CNY", "rmb": "CNY",
    "rubel": "RUB", "rubler": "RUB", "rubles": "RUB", "ruble": "RUB", "roubles": "RUB",
    "rouble": "RUB", "rub": "RUB",
    "euro": "EUR", "euros": "EUR", "eur": "EUR", "€": "EUR",
    "kronor": "SEK", "kr": "SEK", "sek": "SEK",
}  # fmt: skip

NUMBER_WORDS: dict[str, int] = {
    "en": 1, "ett": 1, "one": 1, "två": 2, "two": 2, "tre": 3, "three": 3, "fyra": 4,
    "four": 4, "fem": 5, "five": 5, "sex": 6, "six": 6, "sju": 7, "seven": 7, "åtta": 8,
    "eight": 8, "nio": 9, "nine": 9, "tio": 10, "ten": 10, "elva": 11, "eleven": 11,
    "tolv": 12, "twelve": 12, "femton": 15, "fifteen": 15, "tjugo": 20, "twenty": 20,
    "tjugofem": 25, "trettio": 30, "thirty": 30, "fyrtio": 40, "forty": 40, "femtio": 50,
    "fifty": 50, "sextio": 60, "sixty": 60, "sjuttio": 70, "seventy": 70, "åttio": 80,
    "eighty": 80, "nittio": 90, "ninety": 90, "hundra": 100, "hundred": 100,
}  # fmt: skip

# Denominators of fractions, singular and plural, Swedish and English.
FRACTIONS: dict[str, int] = {
    "halv": 2, "halva": 2, "half": 2, "halves": 2, "hälften": 2,
    "tredjedel": 3, "tredjedelar": 3, "third": 3, "thirds": 3,
    "fjärdedel": 4, "fjärdedelar": 4, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
    "femtedel": 5, "femtedelar": 5, "fifth": 5, "fifths": 5,
    "tiondel": 10, "tiondelar": 10, "tenth": 10, "tenths": 10,
}  # fmt: skip

_WORDNUM = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_FRACTION = "|".join(sorted(FRACTIONS, key=len, reverse=True))
_NUMBER = r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)*"
_SCALE = r"miljarder|miljard|miljoner|miljon|biljoner|biljon|tusen|mdr|milj\.?|md|mn|thousands?|millions?|billions?|trillions?|bn|bln|tn|m"
_CURRENCY = r"(?:amerikanska\s+)?(?:US-dollar|dollars?|dollarn|USD|yuan|CNY|renminbi|RMB|rubel|rubler|roubles?|rubles?|RUB|euros?|EUR|kronor|kr|SEK)"
_UNIT = (
    r"(?P<percent>procents?|procent|per\s?cent|percent|%)"
    r"|(?P<km>kilometers?|kilometres?|kilometer|km)"
    r"|(?P<anniv>-?årsdag(?:en|ar|en)?|(?:st|nd|rd|th)?\s+anniversary)"
    r"|(?P<cur>" + _CURRENCY + r")"
)
_FIGURE = re.compile(
    r"(?P<pcur>US\$|\$|€)?\s?"
    r"(?<![\w.,])(?P<num>" + _NUMBER + r")"
    r"(?:\s?(?:[-–—]|till|to|och|and)\s?(?P<num2>" + _NUMBER + r"))?"
    r"(?:[ \u00a0\u202f-]?(?P<scale>" + _SCALE + r")\b)?"
    r"(?:[ \u00a0\u202f]?(?:" + _UNIT + r"))?"
    r"(?![\w])",
    re.IGNORECASE,
)
_WORD_FIGURE = re.compile(
    r"(?<![\w-])(?P<word>" + _WORDNUM + r")(?:(?P<compound>procentig[at]?|procentiga)"
    r"|[ -](?P<unit>procent|per\s?cent|percent))(?![\w])",
    re.IGNORECASE,
)
_FRACTION_FIGURE = re.compile(
    r"(?<![\w-])(?P<word>" + _WORDNUM + r"|a|an)[ -](?P<frac>" + _FRACTION + r")\s+(?:av|of)\b"
    r"|(?<![\w-])(?P<half>hälften|half)\s+(?:av|of)\b",
    re.IGNORECASE,
)
_CHANGE_BEFORE = re.compile(
    r"(?P<verb>ökade|ökat|ökar|ökning(?:en)?|steg|stigit|stiger|växte|vuxit|växer|tillväxt(?:en)?|"
    r"minskade|minskat|minskar|minskning(?:en)?|sjönk|sjunkit|sjunker|föll|fallit|faller|"
    r"rose|risen|rises|increased|increases|increase|grew|grown|grows|growth|jumped|surged|"
    r"fell|fallen|falls|dropped|drops|declined|declines|decline|decreased|decreases|"
    r"decrease|plunged|shrank|shrunk|rise|drop|fall)\b"
    r"(?:\s+[\w:’'-]+){0,8}?\s+(?:med|by|of|på)\s+(?:hela\s+|bara\s+|nästan\s+|almost\s+|about\s+|some\s+|only\s+|drygt\s+|omkring\s+|cirka\s+|ca\s+)?$"
    r"|(?P<updown>\bup|\bdown)\s+$",
    re.IGNORECASE,
)
_DECREASE = re.compile(
    r"^(?:minsk|sjönk|sjunk|föll|fall|fell|dropp|drop|declin|decreas|plung|shr|down)", re.IGNORECASE
)
_QUALIFIER_BEFORE = re.compile(
    r"(?P<q>cirka|ca\.?|omkring|runt|ungefär|drygt|nästan|närmare|över|mer än|minst|"
    r"högst|under|mindre än|about|around|roughly|nearly|almost|over|more than|at least|"
    r"at most|under|less than|some)\s+$",
    re.IGNORECASE,
)
_QUALIFIERS = {
    "cirka": "about", "ca": "about", "ca.": "about", "omkring": "about", "runt": "about",
    "ungefär": "about", "about": "about", "around": "about", "roughly": "about", "some": "about",
    "drygt": "more_than", "över": "more_than", "mer än": "more_than", "over": "more_than",
    "more than": "more_than", "nästan": "less_than", "närmare": "about", "nearly": "less_than",
    "almost": "less_than", "minst": "at_least", "at least": "at_least", "högst": "at_most",
    "at most": "at_most", "under": "less_than", "mindre än": "less_than",
    "less than": "less_than",
}  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """A number with its unit, found at ``start:end`` of the text searched."""

    start: int
    end: int
    text: str
    value: float
    unit: FigureUnit
    scale: float = 1.0
    currency: str | None = None
    qualifier: str = "exact"
    change: bool = False
    low: float | None = None  # a range's bounds (value is then the midpoint)
    high: float | None = None


def parse_number(text: str, lang: str) -> float:
    """A number written in Swedish or English.

    Examples
    --------
    >>> parse_number("4 300", "sv"), parse_number("1,8", "sv"), parse_number("4,300", "en")
    (4300.0, 1.8, 4300.0)
    >>> parse_number("1.8", "en"), parse_number("4.300", "sv"), parse_number("1,234.5", "en")
    (1.8, 4300.0, 1234.5)
    """
    s = re.sub(r"[ \u00a0\u202f]", "", text)
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return float(s.replace(thousands, "").replace(decimal, "."))
    if "," in s:
        if lang == "en" and re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):
            return float(s.replace(",", ""))
        if s.count(",") > 1:
            return float(s.replace(",", ""))
        return float(s.replace(",", "."))
    if "." in s:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s) and (lang == "sv" or s.count(".") > 1):
            return float(s.replace(".", ""))
        return float(s)
    return float(s)


def _qualifier(before: str) -> str:
    m = _QUALIFIER_BEFORE.search(before)
    if m is None:
        return "exact"
    return _QUALIFIERS.get(re.sub(r"\s+", " ", m.group("q").lower()), "exact")


def _change(before: str) -> tuple[bool, int]:
    m = _CHANGE_BEFORE.search(before)
    if m is None:
        return False, 1
    verb = m.group("verb") or m.group("updown") or ""
    return True, -1 if _DECREASE.match(verb.strip()) else 1


def find_figures(text: str, lang: str) -> list[Figure]:
    """Every figure with a unit in ``text``, in order.

    Examples
    --------
    >>> f = find_figures("handeln uppgår till 245 miljarder dollar", "sv")[0]
    >>> f.value, f.scale, f.unit, f.currency
    (245.0, 1000000000.0, 'money', 'USD')
    >>> [(f.value, f.change) for f in find_figures("ökade med 66 procent", "sv")]
    [(66.0, True)]
    """
    out: list[Figure] = []
    for m in _FIGURE.finditer(text):
        unit: FigureUnit | None = None
        currency = None
        pcur = m.group("pcur")
        if m.group("percent"):
            unit = "percent"
        elif m.group("km"):
            unit = "km"
        elif m.group("anniv"):
            unit = "years"
        elif m.group("cur") or pcur:
            unit = "money"
            word = (m.group("cur") or pcur or "").lower().split()[-1]
            currency = CURRENCIES.get(word, CURRENCIES.get(word.rstrip("s")))
        if unit is None:
            continue
        if m.group("scale") and m.group("scale").lower() == "m" and unit != "money":
            continue  # "m" is metres, not millions, outside amounts of money
        if unit == "years" and m.group("num2"):
            continue
        try:
            value = parse_number(m.group("num"), lang)
            high = parse_number(m.group("num2"), lang) if m.group("num2") else None
        except ValueError:
            continue
        scale = SCALES.get(m.group("scale").lower(), 1.0) if m.group("scale") else 1.0
        if unit == "percent":
            scale = 1.0
        start = m.start("pcur") if pcur else m.start("num")
        before = text[max(0, start - 90) : start]
        change, sign = _change(before)
        qualifier = _qualifier(before)
        low = None
        if high is not None:
            if high < value:
                continue  # "2021 och 4 procent" is no range
            low, value, qualifier = value, (value + high) / 2, "about"
        out.append(
            Figure(
                start,
                m.end(),
                text[start : m.end()],
                sign * value,
                unit,
                scale,
                currency,
                qualifier,
                change,
                low,
                high,
            )
        )
    for m in _WORD_FIGURE.finditer(text):
        value = float(NUMBER_WORDS[m.group("word").lower()])
        before = text[max(0, m.start() - 90) : m.start()]
        change, sign = _change(before)
        out.append(
            Figure(
                m.start(),
                m.end(),
                m.group(0),
                sign * value,
                "percent",
                qualifier=_qualifier(before),
                change=change,
            )
        )
    for m in _FRACTION_FIGURE.finditer(text):
        if m.group("half"):
            value = 50.0
            end = m.end("half")
        else:
            word = m.group("word").lower()
            numerator = 1 if word in ("a", "an") else NUMBER_WORDS[word]
            value = round(100.0 * numerator / FRACTIONS[m.group("frac").lower()], 1)
            end = m.end("frac")
        if value > 100:
            continue
        out.append(Figure(m.start(), end, text[m.start() : end], value, "percent"))
    return sorted(out, key=lambda f: f.start)
