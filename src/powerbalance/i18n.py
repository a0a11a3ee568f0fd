"""Interface labels in English and Swedish (the seed articles' readers are Swedish).

Only labels are translated; evidence statements stay in the project's English.
"""

from __future__ import annotations

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
    "arms.imports.change.ratio": {
        "en": "Arms imports, later period over earlier",
        "sv": "Vapenimport, senare period mot tidigare",
    },
}


def label(key: str, lang: str = "en") -> str:
    """The label for ``key`` in ``lang`` (English when there is no translation)."""
    entry = LABELS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["en"]


def actor_name(actor: object, lang: str = "en") -> str:
    """An actor's name in the language (``name_sv`` or ``name_en``)."""
    return str(getattr(actor, "name_sv" if lang == "sv" else "name_en", actor))
