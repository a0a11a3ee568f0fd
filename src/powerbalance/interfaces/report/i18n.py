"""English and Swedish labels for the dashboard and the reports.

Only interface text lives here; the evidence carries its own names in both
languages (``Actor.name_en`` / ``Actor.name_sv``).

Examples
--------
>>> t("evidence", "sv")
'Underlag'
>>> t("no such label", "en")
'no such label'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from powerbalance.i18n import (
    arithmetic_line,
    format_decimal,
    format_general,
    format_value,
    indicator_label,
    indicator_text,
    narrative_line,
    period_label,
    term,
)

LANGS = ("en", "sv")

LABELS: dict[str, tuple[str, str]] = {
    # navigation
    "overview": ("Overview", "Översikt"),
    "dependence": ("Dependence", "Beroende"),
    "evidence": ("Evidence", "Underlag"),
    "datasets": ("Datasets", "Datamängder"),
    "events": ("Events", "Händelser"),
    "bargaining": ("Bargaining", "Förhandling"),
    "scenarios": ("Scenarios", "Scenarier"),
    "api": ("API", "API"),
    "title": ("powerbalance: the balance of power", "powerbalance: maktbalansen"),
    "language": ("Language", "Språk"),
    # states of a page
    "not_landed": (
        "This part of powerbalance is not installed in this version yet",
        "Den här delen av powerbalance finns inte i den här versionen ännu",
    ),
    "missing_evidence": (
        "The evidence does not hold what this needs",
        "Underlaget saknar det som behövs här",
    ),
    "read_only": (
        "Read-only: start the server with a write token to add evidence or run scenarios.",
        "Skrivskyddat: starta servern med en skrivnyckel för att lägga till underlag eller köra scenarier.",
    ),
    "unlock": ("Enter write token", "Ange skrivnyckel"),
    "unlocked": ("Writes enabled for this browser.", "Skrivning tillåten i den här webbläsaren."),
    "token": ("Write token", "Skrivnyckel"),
    "submit": ("Submit", "Skicka"),
    "search": ("Search", "Sök"),
    "filter": ("Filter", "Filtrera"),
    "all": ("all", "alla"),
    "nothing_found": ("Nothing matches.", "Inget matchar."),
    "lacking": ("indicators lack the evidence they need", "indikatorer saknar underlag"),
    "channels": ("Channels over time", "Kanaler över tid"),
    # overview
    "triangle": ("The strategic triangle", "Den strategiska triangeln"),
    "ties": ("Ties", "Band"),
    "roles": ("Roles", "Roller"),
    "configuration": ("Configuration", "Konfiguration"),
    "assessment": ("Assessment", "Bedömning"),
    "headline": ("Headline numbers", "Nyckeltal"),
    "balance": ("Structural balance", "Strukturell balans"),
    "theory": ("Theory results", "Teoriresultat"),
    "amity": ("amity", "vänskap"),
    "enmity": ("enmity", "fiendskap"),
    "neutral": ("no sign", "inget tecken"),
    "weight": ("weight", "vikt"),
    "strength": ("strength", "styrka"),
    "sign": ("sign", "tecken"),
    "rule": ("rule", "regel"),
    "pair": ("pair", "par"),
    # evidence
    "kind": ("kind", "typ"),
    "claims": ("Claims", "Påståenden"),
    "stances": ("Stances", "Ställningstaganden"),
    "sources": ("Sources", "Källor"),
    "actors": ("Actors", "Aktörer"),
    "actor": ("actor", "aktör"),
    "partner": ("partner", "partner"),
    "indicator": ("indicator", "indikator"),
    "value": ("value", "värde"),
    "unit": ("unit", "enhet"),
    "period": ("period", "period"),
    "source": ("source", "källa"),
    "section": ("section", "avsnitt"),
    "statement": ("statement", "påstående"),
    "verification": ("verification", "verifiering"),
    "origin": ("origin", "ursprung"),
    "date": ("date", "datum"),
    "summary": ("summary", "sammanfattning"),
    "target": ("target", "mål"),
    "score": ("score", "poäng"),
    "rationale": ("rationale", "motivering"),
    "text": ("text", "text"),
    "add_claim": ("Add a claim", "Lägg till ett påstående"),
    "claim_added": ("Claim added", "Påståendet har lagts till"),
    "id": ("id", "id"),
    "currency": ("currency", "valuta"),
    "scale": ("scale", "skala"),
    "qualifier": ("qualifier", "kvalificering"),
    "start": ("start", "början"),
    "end": ("end", "slut"),
    "comparison_start": ("comparison start", "jämförelsens början"),
    "comparison_end": ("comparison end", "jämförelsens slut"),
    "authority": ("cited authority", "citerad auktoritet"),
    "unchecked": ("unchecked", "ej kontrollerad"),
    "checkable": ("checkable against", "kan kontrolleras mot"),
    "verified": ("verified", "verifierad"),
    "contradicted": ("contradicted", "motsagd"),
    "unverifiable": ("unverifiable", "ej verifierbar"),
    "settle_with": ("needs", "kräver"),
    "records": ("records", "poster"),
    # datasets / events / bargaining / scenarios
    "registered": ("Registered files", "Registrerade filer"),
    "cards": ("Dataset cards", "Datamängdskort"),
    "coverage": ("coverage", "täckning"),
    "path": ("file", "fil"),
    "registered_at": ("registered", "registrerad"),
    "timeline": ("Timeline", "Tidslinje"),
    "series": ("Dyad series", "Dyadserier"),
    "no_series": (
        "No event series is loaded: aggregate one with `powerbalance events aggregate FILES "
        "--out series.parquet`, then start `powerbalance serve --events series.parquet`.",
        "Ingen händelseserie är inläst: beräkna en med `powerbalance events aggregate FILER "
        "--out serie.parquet` och starta `powerbalance serve --events serie.parquet`.",
    ),
    "actor_sets": ("Actor sets", "Aktörsuppsättningar"),
    "model": ("model", "modell"),
    "forecast": ("forecast", "prognos"),
    "rounds": ("Positions over rounds", "Positioner över rundor"),
    "baselines": ("Baselines", "Baslinjer"),
    "run": ("Run", "Kör"),
    "draws": ("draws", "dragningar"),
    "seed": ("seed", "frö"),
    "upload": ("or upload a scenario file (TOML)", "eller ladda upp en scenariofil (TOML)"),
    "bundled": ("Bundled scenarios", "Medföljande scenarier"),
    "stored_runs": ("Stored runs", "Sparade körningar"),
    "no_runs": ("No run is stored yet.", "Ingen körning är sparad ännu."),
    "from_scenario": ("as in the scenario", "som i scenariot"),
    "jobs": ("Running and finished jobs", "Pågående och avslutade jobb"),
    "progress": ("progress", "förlopp"),
    "status": ("status", "status"),
    "result": ("Result", "Resultat"),
    "compare": ("Compare", "Jämför"),
    "distributions": ("Distributions", "Fördelningar"),
    "name": ("name", "namn"),
    "description": ("description", "beskrivning"),
    "created": ("created", "skapad"),
    # report
    "report_title": (
        "The balance of power among great powers",
        "Maktbalansen mellan stormakterna",
    ),
    "generated": ("Generated by powerbalance", "Skapad av powerbalance"),
    "evidence_table": ("Evidence with sources", "Underlag med källor"),
    "scenario": ("Scenario", "Scenario"),
    "contents": ("Contents", "Innehåll"),
    # theory and assessment tables
    "role": ("role", "roll"),
    "arithmetic": ("arithmetic", "uträkning"),
    "formula": ("formula", "formel"),
    "issue": ("issue", "fråga"),
    "gap": ("gap", "avstånd"),
    "verdict": ("verdict", "bedömning"),
    "shared": ("shared", "gemensamt"),
    "divergent": ("divergent", "skiljaktigt"),
    "partial": ("partly apart", "delvis olika"),
    "factions": ("factions", "fraktioner"),
    "country": ("country", "land"),
    "event": ("event", "händelse"),
    "time": ("time", "tid"),
    "diverged": ("diverged", "divergerade"),
    "yes": ("yes", "ja"),
    "no": ("no", "nej"),
    "rows": ("rows", "rader"),
    "version": ("version", "version"),
    "licence": ("licence", "licens"),
    "shocks": ("shocks", "chocker"),
    "run_id": ("run", "körning"),
    # scenario tables
    "base": ("base", "bas"),
    "shocked": ("shocked", "chockad"),
    "mean_base": ("mean (base)", "medel (bas)"),
    "mean_scenario": ("mean (scenario)", "medel (scenario)"),
    "p05_p95": ("p05–p95", "p05–p95"),
    "p05_p95_scenario": ("p05–p95 (scenario)", "p05–p95 (scenario)"),
    "p_amity": ("P(amity)", "P(vänskap)"),
    "p_sign_changed": ("P(sign changed)", "P(tecknet bytt)"),
    "p_configuration": ("P(configuration)", "P(konfiguration)"),
    "p_first_flip": ("P(first tie to flip)", "P(första bandet att byta tecken)"),
    "tie_weight": ("tie weight", "bandets vikt"),
    "bargaining_forecast": (
        "bargaining forecast, median and 5-95%",
        "förhandlingsprognos, median och 5–95 %",
    ),
    "weighted_mean": ("weighted mean", "viktat medelvärde"),
    "weighted_median": ("weighted median", "viktad median"),
    "model_pce": ("KTAB spatial (pce)", "KTAB:s rumsliga modell (pce)"),
    "model_eu": ("expected utility (eu)", "förväntad nytta (eu)"),
    # keys of generic tables (bargaining actors, run comparisons): Swedish only, see ``key``
    "capability": ("capability", "förmåga"),
    "position": ("position", "position"),
    "salience": ("salience", "angelägenhet"),
    "mean": ("mean", "medel"),
    "median": ("median", "median"),
    # states of a background job
    "queued": ("queued", "i kö"),
    "running": ("running", "pågår"),
    "done": ("done", "klar"),
    "failed": ("failed", "misslyckades"),
    # counts of records (overview)
    "count_actor": ("actors", "aktörer"),
    "count_claim": ("claims", "påståenden"),
    "count_event": ("events", "händelser"),
    "count_source": ("sources", "källor"),
    "count_stance": ("stances", "ställningstaganden"),
}


def t(key: str, lang: str = "en") -> str:
    """The label ``key`` in ``lang`` (``en`` or ``sv``); unknown keys come back as given."""
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "sv" else pair[0]


def claim_value(row: dict[str, Any], lang: str = "en") -> str:
    """A claim row's value with its unit, money as ``245 bn USD`` (``245 mdr USD`` in sv).

    Examples
    --------
    >>> claim_value({"value": 245.0, "unit": "money", "currency": "USD", "scale": 1e9}, "sv")
    '245 mdr USD'
    """
    return format_value(
        row.get("value"),
        row.get("unit"),
        lang,
        currency=row.get("currency"),
        scale=row.get("scale") or 1.0,
    )


def helpers(lang: str) -> dict[str, Callable[..., str]]:
    """The functions templates use to write labels, theory words and values in ``lang``."""
    return {
        "t": lambda key: t(key, lang),
        "term": lambda word: term(word, lang),
        "arith": lambda line: arithmetic_line(line, lang),
        "narr": lambda line: narrative_line(line, lang),
        "fmt_value": lambda value, unit, currency=None, scale=1.0: format_value(
            value, unit, lang, currency=currency, scale=scale or 1.0
        ),
        "claim_value": lambda row: claim_value(row, lang),
        # an indicator result's arithmetic line and note in ``lang``
        "ind_formula": lambda row: indicator_text(row, lang)[0],
        "ind_note": lambda row: indicator_text(row, lang)[1],
        # a fixed-decimals figure (a tie's strength, weight): 0.33, Swedish 0,33
        "dec": lambda x, decimals=2, signed=False: format_decimal(x, lang, decimals, signed=signed),
        # a figure of a generic table: 0.9156, 1,234,567 (Swedish 0,9156, 1 234 567)
        "num": lambda x, digits=4: format_general(x, lang, digits),
        # a period label: "c. 2021 → 2024" (Swedish "ca 2021 → 2024")
        "period": lambda text: period_label(text, lang),
        # an indicator's name: the key in English, the Swedish label where there is one
        "ind_label": lambda key: indicator_label(key, lang),
        # a data key as a column head (actor, capability): as given in English
        "key": lambda k: key_label(k, lang),
        # Plotly's separators for a figure's numbers: decimal comma in Swedish
        "plot": lambda fig: localise_figure(fig, lang),
    }


def key_label(key: object, lang: str = "en") -> str:
    """A data key shown as a column head or a term: as given in English, translated in
    Swedish where :data:`LABELS` has it (``weighted_mean`` → ``viktat medelvärde``).

    Examples
    --------
    >>> key_label("weighted_mean"), key_label("weighted_mean", "sv"), key_label("xyz", "sv")
    ('weighted_mean', 'viktat medelvärde', 'xyz')
    """
    key = str(key)
    if lang != "sv" or key not in LABELS:
        return key
    return t(key, lang)


#: Plotly's ``layout.separators`` by language: the decimal mark, then the thousands mark.
SEPARATORS = {"sv": ",\u00a0"}


def localise_figure(fig: Any, lang: str = "en") -> Any:
    """``fig`` (a Plotly figure as a dict) with its numbers written as ``lang`` writes them.

    English figures come back unchanged; Swedish ones get a decimal comma and
    spaces between thousands on their axes and hover labels.

    Examples
    --------
    >>> localise_figure({"data": [], "layout": {"height": 1}}, "sv")["layout"]
    {'height': 1, 'separators': ',\xa0'}
    >>> localise_figure({"data": []}, "en")
    {'data': []}
    """
    sep = SEPARATORS.get(lang)
    if sep is None or not isinstance(fig, dict):
        return fig
    return {**fig, "layout": {**(fig.get("layout") or {}), "separators": sep}}


def normalise_lang(lang: str | None) -> str:
    """``sv`` when asked for Swedish, else ``en`` (any other value falls back to English).

    Examples
    --------
    >>> normalise_lang("SV"), normalise_lang("de"), normalise_lang(None)
    ('sv', 'en', 'en')
    """
    if lang and lang.lower() in LANGS:
        return lang.lower()
    return "en"
