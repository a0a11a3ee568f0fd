"""Interface labels in English and Swedish (the seed articles' readers are Swedish).

Only labels are translated; evidence statements stay in the project's English.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "sv")

LABELS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Balance of power: Moscow – Beijing – Washington",
        "sv": "Maktbalansen: Moskva – Beijing – Washington",
    },
    "dyads": {"en": "The three ties", "sv": "De tre banden"},
    "dyad": {"en": "Dyad", "sv": "Dyad"},
    "sign": {"en": "Sign", "sv": "Tecken"},
    "strength": {"en": "Strength", "sv": "Styrka"},
    "amity": {"en": "amity", "sv": "vänskap"},
    "enmity": {"en": "enmity", "sv": "fiendskap"},
    "neutral": {"en": "no sign", "sv": "inget tecken"},
    "basis": {"en": "Basis", "sv": "Underlag"},
    "dependence": {"en": "Who depends on whom", "sv": "Vem är beroende av vem"},
    "indicator": {"en": "Indicator", "sv": "Indikator"},
    "value": {"en": "Value", "sv": "Värde"},
    "computation": {"en": "Computation", "sv": "Beräkning"},
    "sources": {"en": "Sources", "sv": "Källor"},
    "key_evidence": {"en": "Key evidence", "sv": "Viktiga belägg"},
    "claim": {"en": "Claim", "sv": "Uppgift"},
    "period": {"en": "Period", "sv": "Period"},
    "source": {"en": "Source", "sv": "Källa"},
    "events": {"en": "Dated events", "sv": "Daterade händelser"},
    "date": {"en": "Date", "sv": "Datum"},
    "event": {"en": "Event", "sv": "Händelse"},
    "factions": {"en": "Factions in brief", "sv": "Fraktionerna i korthet"},
    "faction": {"en": "Faction", "sv": "Fraktion"},
    "stance": {"en": "Stance", "sv": "Hållning"},
    "leaders": {
        "en": "Putin and Trump: shared and divergent",
        "sv": "Putin och Trump: gemensamt och skiljaktigt",
    },
    "issue": {"en": "Issue", "sv": "Fråga"},
    "shared": {"en": "shared", "sv": "gemensamt"},
    "divergent": {"en": "divergent", "sv": "skiljaktigt"},
    "partial": {"en": "partly apart", "sv": "delvis olika"},
    "triangle": {"en": "Strategic triangle", "sv": "Strategisk triangel"},
    "configuration": {"en": "Configuration", "sv": "Konfiguration"},
    "role": {"en": "Role", "sv": "Roll"},
    "verification": {"en": "Verification", "sv": "Verifiering"},
    "tie": {"en": "tie", "sv": "band"},
    "ties": {"en": "ties", "sv": "band"},
    "from": {"en": "from", "sv": "ur"},
    "actor": {"en": "actor", "sv": "aktör"},
    "score": {"en": "score", "sv": "poäng"},
    "arithmetic": {"en": "arithmetic", "sv": "uträkning"},
    "move": {"en": "move", "sv": "drag"},
    "becomes": {"en": "becomes", "sv": "blir"},
    "roles_scores": {"en": "roles and scores", "sv": "roller och poäng"},
    "moves": {
        "en": "unilateral moves (change of each score)",
        "sv": "egna drag (förändring av varje poäng)",
    },
    "authority": {"en": "cited authority", "sv": "citerad auktoritet"},
    "ratio": {"en": "ratio", "sv": "kvot"},
    "trade.share_asymmetry.ratio": {
        "en": "Trade-share asymmetry (ratio)",
        "sv": "Asymmetri i handelsandelar (kvot)",
    },
    "trade.share_asymmetry.difference": {
        "en": "Trade-share asymmetry (difference)",
        "sv": "Asymmetri i handelsandelar (skillnad)",
    },
    "trade.bilateral.total.implied": {
        "en": "Bilateral trade implied for the base year",
        "sv": "Bilateral handel härledd för basåret",
    },
    "trade.partner_shift": {
        "en": "Main partner shift (EU then, China now)",
        "sv": "Skifte av huvudpartner (EU då, Kina nu)",
    },
    "exports.energy_concentration": {
        "en": "Energy share of exports",
        "sv": "Energins andel av exporten",
    },
    "fdi.share_of_gdp": {
        "en": "Investment as share of host GDP",
        "sv": "Investeringar som andel av värdlandets BNP",
    },
    "gdp.implied": {
        "en": "Host GDP implied by the investment claims",
        "sv": "Värdlandets BNP härledd ur investeringsuppgifterna",
    },
    "fdi.stock.implied_reference": {
        "en": "Investment in the comparison country (implied)",
        "sv": "Investeringar i jämförelselandet (härlett)",
    },
    "fdi.asymmetry.ratio": {
        "en": "Investment asymmetry (ratio)",
        "sv": "Asymmetri i investeringar (kvot)",
    },
    "records": {"en": "records", "sv": "poster"},
    "not_computed": {"en": "not computed", "sv": "ej beräknat"},
    "footer": {
        "en": "{claims} claims, {events} events, {stances} stances from {sources} sources. "
        "`powerbalance evidence show ID` shows any record with its source; "
        "`--full` lists all.",
        "sv": "{claims} uppgifter, {events} händelser, {stances} ställningstaganden från "
        "{sources} källor. `powerbalance evidence show ID` visar en post med dess källa; "
        "`--full` listar alla.",
    },
    "arms.imports.change.ratio": {
        "en": "Arms imports, later period over earlier",
        "sv": "Vapenimport, senare period mot tidigare",
    },
}


# Words of the theory layer (Dittmer's strategic triangle), by the library's spelling.
TERMS: dict[str, dict[str, str]] = {
    # configurations
    "menage a trois": {"en": "ménage à trois", "sv": "ménage à trois"},
    "romantic triangle": {"en": "romantic triangle", "sv": "romantisk triangel"},
    "stable marriage": {"en": "stable marriage", "sv": "stabilt äktenskap"},
    "unit veto": {"en": "unit veto", "sv": "ömsesidigt veto"},
    # roles
    "pivot": {"en": "pivot", "sv": "vågmästare"},
    "wing": {"en": "wing", "sv": "flygel"},
    "partner": {"en": "partner", "sv": "partner"},
    "outcast": {"en": "outcast", "sv": "utstött"},
    "friend": {"en": "friend", "sv": "vän"},
    "foe": {"en": "foe", "sv": "fiende"},
    # ties in the arithmetic and the narrative
    "amity": {"en": "amity", "sv": "vänskap"},
    "enmity": {"en": "enmity", "sv": "fiendskap"},
    "amicable": {"en": "amicable", "sv": "vänskapliga"},
    "hostile": {"en": "hostile", "sv": "fientliga"},
}


def term(word: str, lang: str = "en") -> str:
    """A configuration, role or tie word of the theory layer in ``lang``.

    Underscores (``stable_marriage`` in scenario summaries) read as spaces;
    unknown words come back as given.

    Examples
    --------
    >>> term("stable marriage", "sv"), term("pivot", "sv"), term("menage_a_trois", "en")
    ('stabilt äktenskap', 'vågmästare', 'ménage à trois')
    >>> term("no such word", "sv")
    'no such word'
    """
    entry = TERMS.get(str(word).replace("_", " "))
    if entry is None:
        return str(word)
    return entry.get(lang) or entry["en"]


_TERM_WORDS = "|".join(sorted((re.escape(w) for w in TERMS), key=len, reverse=True))
_ARITH_TERM = re.compile(rf"\((\S+) ({_TERM_WORDS})\)|\(({_TERM_WORDS})\)")


def arithmetic_line(line: str, lang: str = "en") -> str:
    """A triangle score's arithmetic with its tie and role words in ``lang``.

    Examples
    --------
    >>> arithmetic_line("-1 (USA-RUS enmity) -1 (RUS-CHN amicable) = -3 (outcast)", "sv")
    '-1 (USA-RUS fiendskap) -1 (RUS-CHN vänskapliga) = -3 (utstött)'
    """
    if lang == "en":
        return line

    def swap(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return f"({m.group(1)} {term(m.group(2), lang)})"
        return f"({term(m.group(3), lang)})"

    return _ARITH_TERM.sub(swap, line)


_W = r"[^\s(),;:]+"
_S = r"[+-][0-9.]+"
_NARRATIVE: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(rf"^({_W}) \(({_W}), ({_S})\) has no unilateral move that raises its score\.$"),
        "{0} ({1:t}, {2}) har inget eget drag som höjer dess poäng.",
    ),
    (
        re.compile(
            rf"^({_W}) \(({_W}), ({_S})\) gains ({_S}) by turning its tie with ({_W}) to "
            rf"(amity|enmity): it becomes ({_W}) in an? ([a-z ]+?); (.*)\.$"
        ),
        "{0} ({1:t}, {2}) vinner {3} genom att vända sitt band med {4} till {5:t} och "
        "blir {6:t} i konfigurationen {7:t}; {8:e}.",
    ),
    (
        re.compile(
            rf"^({_W}) loses ([0-9.]+) if ({_W}) turns its tie with ({_W}) to (amity|enmity) "
            rf"\(({_W}) gains ({_S})\)\.$"
        ),
        "{0} förlorar {1} om {2} vänder sitt band med {3} till {4:t} ({5} vinner {6}).",
    ),
    (
        re.compile(
            r"^Balance dynamics \(dX/dt = X\^2 from the signed strengths\): (\S+) flips first "
            r"\(t = ([^)]+)\); the triangle settles as (.+) vs (.+)\.$"
        ),
        "Balansdynamik (dX/dt = X^2 ur de signerade styrkorna): {0} byter tecken först "
        "(t = {1}); triangeln delas i {2} mot {3:n}.",
    ),
]
_EFFECT = re.compile(rf"^({_W}) ({_W}) -> ({_W}) \(({_S})\)$")


def _sv_effects(text: str) -> str:
    out = []
    for part in text.split("; "):
        m = _EFFECT.match(part)
        if m is None:
            return text
        a, old, new, change = m.groups()
        out.append(f"{a} {term(old, 'sv')} -> {term(new, 'sv')} ({change})")
    return "; ".join(out)


def narrative_line(line: str, lang: str = "en") -> str:
    """A sentence of the triangle's narrative in ``lang`` (as given when it is not known).

    Examples
    --------
    >>> narrative_line("RUS loses 2 if USA turns its tie with CHN to amity (USA gains +2).", "sv")
    'RUS förlorar 2 om USA vänder sitt band med CHN till vänskap (USA vinner +2).'
    """
    if lang == "en":
        return line
    for pattern, template in _NARRATIVE:
        m = pattern.match(line)
        if m is None:
            continue
        parts = []
        for piece in re.split(r"(\{\d(?::[ten])?\})", template):
            ref = re.fullmatch(r"\{(\d)(?::([ten]))?\}", piece)
            if ref is None:
                parts.append(piece)
                continue
            value = m.group(int(ref.group(1)) + 1)
            kind = ref.group(2)
            if kind == "t":
                value = term(value, lang)
            elif kind == "e":
                value = _sv_effects(value)
            elif kind == "n" and value == "nobody":
                value = "ingen"
            parts.append(value)
        return "".join(parts)
    return line


# --- numbers and money ------------------------------------------------------------------

#: Scale words for money: (threshold, English, Swedish, decimals).
MONEY_SCALES: tuple[tuple[float, str, str, int], ...] = (
    (1e12, "tn", "biljoner", 2),
    (1e9, "bn", "mdr", 1),
    (1e6, "m", "mn", 1),
)

#: Units of claims and indicators as words (percent and money are formatted apart).
UNIT_WORDS: dict[str, dict[str, str]] = {
    "percentage points": {"en": "pp", "sv": "p.e."},
    "rank": {"en": "rank", "sv": "plats"},
    "count": {"en": "", "sv": ""},
    "km": {"en": "km", "sv": "km"},
    "years": {"en": "years", "sv": "år"},
    "ratio": {"en": "", "sv": ""},
}


def format_number(x: float, lang: str = "en", decimals: int = 1) -> str:
    """``x`` with up to ``decimals`` decimals (trailing zeros dropped) and thousands grouped.

    English uses a decimal point and commas; Swedish a decimal comma and
    (non-breaking) spaces between thousands.

    Examples
    --------
    >>> format_number(147.59), format_number(147.59, "sv"), format_number(1800.0, "sv")
    ('147.6', '147,6', '1\xa0800')
    >>> format_number(-3.0, decimals=2), format_number(0.36, "sv", 2)
    ('-3', '0,36')
    """
    text = f"{x:,.{decimals}f}"
    if decimals > 0 and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if lang == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def format_money(amount: float, currency: str | None = None, lang: str = "en") -> str:
    """An amount of money in words of scale: ``147.6 bn USD`` (Swedish ``147,6 mdr USD``).

    ``amount`` is in currency units (not billions). Billions take one
    decimal, trillions two, trailing zeros dropped; amounts under a million
    are written out.

    Examples
    --------
    >>> format_money(245e9 / 1.66, "USD"), format_money(245e9 / 1.66, "USD", "sv")
    ('147.6 bn USD', '147,6 mdr USD')
    >>> format_money(1.8e12, "USD"), format_money(1.8e12, "USD", "sv")
    ('1.8 tn USD', '1,8 biljoner USD')
    >>> format_money(311e9, "EUR"), format_money(2.5e6, "EUR", "sv"), format_money(1234.5)
    ('311 bn EUR', '2,5 mn EUR', '1,234')
    """
    sv = lang == "sv"
    for i, (threshold, en_word, sv_word, decimals) in enumerate(MONEY_SCALES):
        if abs(amount) < threshold:
            continue
        scaled = amount / threshold
        # 999.96 bn rounds to 1000 bn: write it as the next scale up instead
        if i > 0 and round(abs(scaled), decimals) >= 1000:
            bigger = MONEY_SCALES[i - 1]
            scaled, sv_word, en_word, decimals = (
                amount / bigger[0],
                bigger[2],
                bigger[1],
                bigger[3],
            )
        text = f"{format_number(scaled, lang, decimals)} {sv_word if sv else en_word}"
        break
    else:
        text = format_number(amount, lang, 0)
    return f"{text} {currency}" if currency else text


def format_value(
    value: float | None,
    unit: str | None,
    lang: str = "en",
    *,
    currency: str | None = None,
    scale: float = 1.0,
) -> str:
    """A claim's or an indicator's value with its unit, for tables in ``lang``.

    ``unit`` ``money`` (a claim: ``value × scale`` in ``currency``) and ``USD``
    / ``EUR`` (an indicator, in currency units) go through :func:`format_money`.

    Examples
    --------
    >>> format_value(245, "money", currency="USD", scale=1e9)
    '245 bn USD'
    >>> format_value(245e9 / 1.66, "USD", "sv")
    '147,6 mdr USD'
    >>> format_value(34.5, "percent", "sv"), format_value(30, "percentage points")
    ('34,5 %', '+30 pp')
    >>> format_value(8.5, "ratio", "sv"), format_value(None, "ratio"), format_value(1, "rank", "sv")
    ('8,5', '—', 'plats 1')
    """
    if value is None:
        return "—"
    v = float(value)
    if unit == "money":
        return format_money(v * scale, currency, lang)
    if unit in ("USD", "EUR", "CNY", "RUB", "GBP", "SEK"):
        return format_money(v * scale, unit, lang)
    if unit == "percent":
        return format_number(v, lang, 2) + (" %" if lang == "sv" else "%")
    if unit == "percentage points":
        sign = "+" if v > 0 else ""
        return f"{sign}{format_number(v, lang, 2)} {UNIT_WORDS[unit][lang]}"
    if unit == "ratio":
        return _significant(v, lang)
    if unit == "rank":
        return f"{UNIT_WORDS[unit][lang]} {format_number(v, lang, 0)}"
    text = _significant(v, lang) if not v.is_integer() else format_number(v, lang, 0)
    word = UNIT_WORDS.get(unit or "", {}).get(lang, unit or "")
    return f"{text} {word}".strip()


def _significant(v: float, lang: str) -> str:
    """Three significant digits (``8.5``, ``2.29``, ``0.36``), in the language's decimals."""
    if abs(v) >= 1000:
        return format_number(v, lang, 0)
    text = f"{v:.3g}"
    if "e" in text:
        return format_number(v, lang, 3)
    return text.replace(".", ",") if lang == "sv" else text


def label(key: str, lang: str = "en") -> str:
    """The label for ``key`` in ``lang`` (English when there is no translation)."""
    entry = LABELS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["en"]


def actor_name(actor: object, lang: str = "en") -> str:
    """An actor's name in the language (``name_sv`` or ``name_en``)."""
    return str(getattr(actor, "name_sv" if lang == "sv" else "name_en", actor))
