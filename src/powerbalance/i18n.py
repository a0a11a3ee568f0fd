"""Interface labels in English and Swedish (the seed articles' readers are Swedish).

Only labels are translated; evidence statements stay in the project's English.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from typing import Any, Protocol

LANGUAGES = ("en", "sv")

LABELS: dict[str, dict[str, str]] = {
    "assess_title": {
        "en": "Balance of power: Moscow – Beijing – Washington",
        "sv": "Maktbalansen: Moskva – Beijing – Washington",
    },
    "dyads": {"en": "The three ties", "sv": "De tre banden"},
    "dyad": {"en": "Dyad", "sv": "Dyad"},
    "amity": {"en": "amity", "sv": "vänskap"},
    "enmity": {"en": "enmity", "sv": "fiendskap"},
    "neutral": {"en": "no sign", "sv": "inget tecken"},
    "basis": {"en": "Basis", "sv": "Underlag"},
    "who_depends": {"en": "Who depends on whom", "sv": "Vem är beroende av vem"},
    "computation": {"en": "Computation", "sv": "Beräkning"},
    "sources": {"en": "Sources", "sv": "Källor"},
    "key_evidence": {"en": "Key evidence", "sv": "Viktiga belägg"},
    "claim": {"en": "Claim", "sv": "Uppgift"},
    "dated_events": {"en": "Dated events", "sv": "Daterade händelser"},
    "factions_brief": {"en": "Factions in brief", "sv": "Fraktionerna i korthet"},
    "faction": {"en": "Faction", "sv": "Fraktion"},
    "stance": {"en": "Stance", "sv": "Hållning"},
    "leaders": {
        "en": "Putin and Trump: shared and divergent",
        "sv": "Putin och Trump: gemensamt och skiljaktigt",
    },
    "shared": {"en": "shared", "sv": "gemensamt"},
    "divergent": {"en": "divergent", "sv": "skiljaktigt"},
    "partial": {"en": "partly apart", "sv": "delvis olika"},
    "configuration": {"en": "Configuration", "sv": "Konfiguration"},
    "tie": {"en": "tie", "sv": "band"},
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
    # the dashboard's and the report's words
    "overview": {"en": "Overview", "sv": "Översikt"},
    "dependence": {"en": "Dependence", "sv": "Beroende"},
    "evidence": {"en": "Evidence", "sv": "Underlag"},
    "datasets": {"en": "Datasets", "sv": "Datamängder"},
    "events": {"en": "Events", "sv": "Händelser"},
    "bargaining": {"en": "Bargaining", "sv": "Förhandling"},
    "scenarios": {"en": "Scenarios", "sv": "Scenarier"},
    "api": {"en": "API", "sv": "API"},
    "title": {"en": "powerbalance: the balance of power", "sv": "powerbalance: maktbalansen"},
    "language": {"en": "Language", "sv": "Språk"},
    "refused": {
        "en": "The library could not compute this from the evidence given",
        "sv": "Biblioteket kunde inte beräkna detta ur det givna underlaget",
    },
    "missing_evidence": {
        "en": "The evidence does not hold what this needs",
        "sv": "Underlaget saknar det som behövs här",
    },
    "read_only": {
        "en": "Read-only: start the server with a write token to add evidence or run scenarios.",
        "sv": "Skrivskyddat: starta servern med en skrivnyckel för att lägga till underlag eller köra scenarier.",
    },
    "unlock": {"en": "Enter write token", "sv": "Ange skrivnyckel"},
    "unlocked": {
        "en": "Writes enabled for this browser.",
        "sv": "Skrivning tillåten i den här webbläsaren.",
    },
    "token": {"en": "Write token", "sv": "Skrivnyckel"},
    "submit": {"en": "Submit", "sv": "Skicka"},
    "search": {"en": "Search", "sv": "Sök"},
    "filter": {"en": "Filter", "sv": "Filtrera"},
    "all": {"en": "all", "sv": "alla"},
    "nothing_found": {"en": "Nothing matches.", "sv": "Inget matchar."},
    "lacking": {
        "en": "indicators lack the evidence they need",
        "sv": "indikatorer saknar underlag",
    },
    "channels": {"en": "Channels over time", "sv": "Kanaler över tid"},
    "triangle": {"en": "The strategic triangle", "sv": "Den strategiska triangeln"},
    "ties": {"en": "Ties", "sv": "Band"},
    "roles": {"en": "Roles", "sv": "Roller"},
    "assessment": {"en": "Assessment", "sv": "Bedömning"},
    "headline": {"en": "Headline numbers", "sv": "Nyckeltal"},
    "balance": {"en": "Structural balance", "sv": "Strukturell balans"},
    "theory": {"en": "Theory results", "sv": "Teoriresultat"},
    "weight": {"en": "weight", "sv": "vikt"},
    "strength": {"en": "strength", "sv": "styrka"},
    "sign": {"en": "sign", "sv": "tecken"},
    "rule": {"en": "rule", "sv": "regel"},
    "pair": {"en": "pair", "sv": "par"},
    "kind": {"en": "kind", "sv": "typ"},
    "claims": {"en": "Claims", "sv": "Påståenden"},
    "stances": {"en": "Stances", "sv": "Ställningstaganden"},
    "actors": {"en": "Actors", "sv": "Aktörer"},
    "partner": {"en": "partner", "sv": "partner"},
    "indicator": {"en": "indicator", "sv": "indikator"},
    "value": {"en": "value", "sv": "värde"},
    "unit": {"en": "unit", "sv": "enhet"},
    "period": {"en": "period", "sv": "period"},
    "source": {"en": "source", "sv": "källa"},
    "section": {"en": "section", "sv": "avsnitt"},
    "statement": {"en": "statement", "sv": "påstående"},
    "verification": {"en": "verification", "sv": "verifiering"},
    "origin": {"en": "origin", "sv": "ursprung"},
    "date": {"en": "date", "sv": "datum"},
    "summary": {"en": "summary", "sv": "sammanfattning"},
    "target": {"en": "target", "sv": "mål"},
    "rationale": {"en": "rationale", "sv": "motivering"},
    "text": {"en": "text", "sv": "text"},
    "add_claim": {"en": "Add a claim", "sv": "Lägg till ett påstående"},
    "claim_added": {"en": "Claim added", "sv": "Påståendet har lagts till"},
    # the Review page (candidates proposed by `powerbalance ingest`)
    "review": {"en": "Review", "sv": "Granskning"},
    "review_title": {"en": "Candidates to review", "sv": "Förslag att granska"},
    "review_intro": {
        "en": "Proposed from ingested articles; nothing enters the evidence until accepted. "
        "Write the statement in your own words: the article's sentence is refused.",
        "sv": "Föreslagna ur inlästa artiklar; inget blir underlag förrän det godkänts. "
        "Skriv påståendet med egna ord: artikelns mening godtas inte.",
    },
    "no_pending": {
        "en": "No candidates wait for review.",
        "sv": "Inga förslag väntar på granskning.",
    },
    "accept": {"en": "Accept", "sv": "Godkänn"},
    "reject": {"en": "Reject", "sv": "Avvisa"},
    "reviewer": {"en": "reviewer", "sv": "granskare"},
    "own_words": {"en": "in your own words", "sv": "med egna ord"},
    "edits": {
        "en": "changes to the proposed record (FIELD=VALUE, one a line; e.g. value=250)",
        "sv": "ändringar i den föreslagna posten (FÄLT=VÄRDE, en per rad; t.ex. value=250)",
    },
    "proposed_record": {"en": "proposed record", "sv": "föreslagen post"},
    "confidence": {"en": "confidence", "sv": "säkerhet"},
    "notes": {"en": "notes", "sv": "anteckningar"},
    "repeats": {"en": "repeats", "sv": "upprepar"},
    "contradicts": {"en": "contradicts", "sv": "motsäger"},
    "accepted_as": {"en": "Accepted as", "sv": "Godkänd som"},
    "rejected_candidate": {"en": "Rejected", "sv": "Avvisad"},
    "characters": {"en": "characters", "sv": "tecken"},
    "document": {"en": "document", "sv": "dokument"},
    "id": {"en": "id", "sv": "id"},
    "currency": {"en": "currency", "sv": "valuta"},
    "scale": {"en": "scale", "sv": "skala"},
    "qualifier": {"en": "qualifier", "sv": "kvalificering"},
    "start": {"en": "start", "sv": "början"},
    "end": {"en": "end", "sv": "slut"},
    "comparison_start": {"en": "comparison start", "sv": "jämförelsens början"},
    "comparison_end": {"en": "comparison end", "sv": "jämförelsens slut"},
    "unchecked": {"en": "unchecked", "sv": "ej kontrollerad"},
    "checkable": {"en": "checkable against", "sv": "kan kontrolleras mot"},
    "verified": {"en": "verified", "sv": "verifierad"},
    "contradicted": {"en": "contradicted", "sv": "motsagd"},
    "unverifiable": {"en": "unverifiable", "sv": "ej verifierbar"},
    "depends_on_definition": {"en": "depends on definition", "sv": "beror på definitionen"},
    "settle_with": {"en": "needs", "sv": "kräver"},
    # the verification coverage table (powerbalance verify, the report, the Evidence page)
    "verification_coverage": {
        "en": "Claims checked against public data",
        "sv": "Påståenden kontrollerade mot offentliga data",
    },
    "claimed": {"en": "claimed", "sv": "uppgivet"},
    "computed": {"en": "computed", "sv": "beräknat"},
    "dataset": {"en": "dataset", "sv": "datamängd"},
    "definition": {"en": "definition", "sv": "definition"},
    "agrees": {"en": "agrees", "sv": "stämmer"},
    "disagrees": {"en": "disagrees", "sv": "stämmer inte"},
    "why": {"en": "why", "sv": "varför"},
    "claims_total": {"en": "claims", "sv": "påståenden"},
    # a claim's qualifier, as the coverage table's rule names it
    "qualifier_exact": {"en": "exact", "sv": "exakt"},
    "qualifier_about": {"en": "about", "sv": "cirka"},
    "qualifier_at_least": {"en": "at least", "sv": "minst"},
    "qualifier_more_than": {"en": "more than", "sv": "mer än"},
    "qualifier_at_most": {"en": "at most", "sv": "högst"},
    "qualifier_less_than": {"en": "less than", "sv": "mindre än"},
    "not_checked_yet": {
        "en": "No dataset is registered: every claim is unverifiable until one is "
        "(`powerbalance data add ID PATH`).",
        "sv": "Ingen datamängd är registrerad: alla påståenden är ej verifierbara tills en "
        "registreras (`powerbalance data add ID FIL`).",
    },
    "registered": {"en": "Registered files", "sv": "Registrerade filer"},
    "cards": {"en": "Dataset cards", "sv": "Datamängdskort"},
    "coverage": {"en": "coverage", "sv": "täckning"},
    "path": {"en": "file", "sv": "fil"},
    "registered_at": {"en": "registered", "sv": "registrerad"},
    "timeline": {"en": "Timeline", "sv": "Tidslinje"},
    "series": {"en": "Dyad series", "sv": "Dyadserier"},
    "no_series": {
        "en": "No event series is loaded: aggregate one with `powerbalance events aggregate FILES --out series.parquet`, then start `powerbalance serve --events series.parquet`.",
        "sv": "Ingen händelseserie är inläst: beräkna en med `powerbalance events aggregate FILER --out serie.parquet` och starta `powerbalance serve --events serie.parquet`.",
    },
    "actor_sets": {"en": "Actor sets", "sv": "Aktörsuppsättningar"},
    "model": {"en": "model", "sv": "modell"},
    "forecast": {"en": "forecast", "sv": "prognos"},
    "track_record": {"en": "Track record", "sv": "Träffsäkerhet"},
    # a bargaining model's validated error beside the weighted mean's (issue 17)
    "track_beats": {
        "en": "beats the weighted mean out of sample",
        "sv": "slår det viktade medelvärdet utanför urvalet",
    },
    "track_worse": {
        "en": "does WORSE than the weighted mean out of sample: trust the weighted mean more",
        "sv": "gör SÄMRE än det viktade medelvärdet utanför urvalet: lita mer på det viktade "
        "medelvärdet",
    },
    "track_reference": {
        "en": "the reference every model is compared with",
        "sv": "referensen som varje modell jämförs med",
    },
    "track_not_validated": {
        "en": "not validated: no error out of sample",
        "sv": "ej validerad: inget fel utanför urvalet",
    },
    "track_mae": {
        "en": "mean absolute error (model / weighted mean)",
        "sv": "medelabsolutfel (modell / viktat medelvärde)",
    },
    "track_where": {
        "en": "EU legislative issues (DEU III), cross-validated",
        "sv": "EU-lagstiftningsfrågor (DEU III), korsvaliderat",
    },
    "rounds": {"en": "Positions over rounds", "sv": "Positioner över rundor"},
    "baselines": {"en": "Baselines", "sv": "Baslinjer"},
    "run": {"en": "Run", "sv": "Kör"},
    "draws": {"en": "draws", "sv": "dragningar"},
    "seed": {"en": "seed", "sv": "frö"},
    "upload": {
        "en": "or upload a scenario file (TOML)",
        "sv": "eller ladda upp en scenariofil (TOML)",
    },
    "bundled": {"en": "Bundled scenarios", "sv": "Medföljande scenarier"},
    "stored_runs": {"en": "Stored runs", "sv": "Sparade körningar"},
    "no_runs": {"en": "No run is stored yet.", "sv": "Ingen körning är sparad ännu."},
    "from_scenario": {"en": "as in the scenario", "sv": "som i scenariot"},
    "jobs": {"en": "Running and finished jobs", "sv": "Pågående och avslutade jobb"},
    "progress": {"en": "progress", "sv": "förlopp"},
    "status": {"en": "status", "sv": "status"},
    "result": {"en": "Result", "sv": "Resultat"},
    "compare": {"en": "Compare", "sv": "Jämför"},
    "distributions": {"en": "Distributions", "sv": "Fördelningar"},
    "name": {"en": "name", "sv": "namn"},
    "description": {"en": "description", "sv": "beskrivning"},
    "created": {"en": "created", "sv": "skapad"},
    "report_title": {
        "en": "The balance of power among great powers",
        "sv": "Maktbalansen mellan stormakterna",
    },
    "generated": {"en": "Generated by powerbalance", "sv": "Skapad av powerbalance"},
    "evidence_table": {"en": "Evidence with sources", "sv": "Underlag med källor"},
    "scenario": {"en": "Scenario", "sv": "Scenario"},
    "contents": {"en": "Contents", "sv": "Innehåll"},
    "role": {"en": "role", "sv": "roll"},
    "formula": {"en": "formula", "sv": "formel"},
    "issue": {"en": "issue", "sv": "fråga"},
    "gap": {"en": "gap", "sv": "avstånd"},
    "verdict": {"en": "verdict", "sv": "bedömning"},
    "factions": {"en": "factions", "sv": "fraktioner"},
    "country": {"en": "country", "sv": "land"},
    "event": {"en": "event", "sv": "händelse"},
    "time": {"en": "time", "sv": "tid"},
    "diverged": {"en": "diverged", "sv": "divergerade"},
    "yes": {"en": "yes", "sv": "ja"},
    "no": {"en": "no", "sv": "nej"},
    "rows": {"en": "rows", "sv": "rader"},
    "version": {"en": "version", "sv": "version"},
    "licence": {"en": "licence", "sv": "licens"},
    "shocks": {"en": "shocks", "sv": "chocker"},
    "run_id": {"en": "run", "sv": "körning"},
    "base": {"en": "base", "sv": "bas"},
    "shocked": {"en": "shocked", "sv": "chockad"},
    "mean_base": {"en": "mean (base)", "sv": "medel (bas)"},
    "mean_scenario": {"en": "mean (scenario)", "sv": "medel (scenario)"},
    "p05_p95": {"en": "p05–p95", "sv": "p05–p95"},
    "p05_p95_scenario": {"en": "p05–p95 (scenario)", "sv": "p05–p95 (scenario)"},
    "p_amity": {"en": "P(amity)", "sv": "P(vänskap)"},
    "p_sign_changed": {"en": "P(sign changed)", "sv": "P(tecknet bytt)"},
    "p_configuration": {"en": "P(configuration)", "sv": "P(konfiguration)"},
    "p_first_flip": {"en": "P(first tie to flip)", "sv": "P(första bandet att byta tecken)"},
    "tie_weight": {"en": "tie weight", "sv": "bandets vikt"},
    "bargaining_forecast": {
        "en": "bargaining forecast, median and 5-95%",
        "sv": "förhandlingsprognos, median och 5–95 %",
    },
    "weighted_mean": {"en": "weighted mean", "sv": "viktat medelvärde"},
    "weighted_median": {"en": "weighted median", "sv": "viktad median"},
    "model_pce": {"en": "KTAB spatial (pce)", "sv": "KTAB:s rumsliga modell (pce)"},
    "model_eu": {"en": "expected utility (eu)", "sv": "förväntad nytta (eu)"},
    "capability": {"en": "capability", "sv": "förmåga"},
    "position": {"en": "position", "sv": "position"},
    "salience": {"en": "salience", "sv": "angelägenhet"},
    "mean": {"en": "mean", "sv": "medel"},
    "median": {"en": "median", "sv": "median"},
    "queued": {"en": "queued", "sv": "i kö"},
    "running": {"en": "running", "sv": "pågår"},
    "done": {"en": "done", "sv": "klar"},
    "failed": {"en": "failed", "sv": "misslyckades"},
    "count_actor": {"en": "actors", "sv": "aktörer"},
    "count_claim": {"en": "claims", "sv": "påståenden"},
    "count_event": {"en": "events", "sv": "händelser"},
    "count_source": {"en": "sources", "sv": "källor"},
    "count_stance": {"en": "stances", "sv": "ställningstaganden"},
    # the History page and the report's history section (powerbalance history)
    "history": {"en": "History", "sv": "Historia"},
    "history_title": {"en": "The triangle through time", "sv": "Triangeln genom tiden"},
    "history_intro": {
        "en": "The ties of the USA, the USSR/Russia and the PRC year by year, fused from every channel of data by a versioned rule; each year's configuration and roles (Dittmer), and the years the triangle changed with the channels that moved it.",
        "sv": "Banden mellan USA, Sovjetunionen/Ryssland och Kina år för år, sammanvägda ur varje datakanal med en versionerad regel; varje års konfiguration och roller (Dittmer), och de år triangeln ändrades med de kanaler som flyttade den.",
    },
    "history_section": {"en": "The triangle through time", "sv": "Triangeln genom tiden"},
    "channels_run": {"en": "channels read", "sv": "lästa kanaler"},
    "channels_missing": {"en": "channels without data", "sv": "kanaler utan data"},
    "years_with_triangle": {"en": "years with all three ties", "sv": "år med alla tre banden"},
    "click_a_year": {
        "en": "Click a year (in the figure or below) to see its triangle and the evidence behind each tie.",
        "sv": "Klicka på ett år (i figuren eller nedan) för att se dess triangel och underlaget för varje band.",
    },
    "no_triangle": {
        "en": "no triangle (a tie has no information)",
        "sv": "ingen triangel (ett band saknar uppgifter)",
    },
    "basis_carried": {
        "en": "no sign this year: last year's sign kept",
        "sv": "inget tecken i år: förra årets tecken behålls",
    },
    "basis_cautious": {
        "en": "no sign yet: read as enmity",
        "sv": "inget tecken än: läses som fiendskap",
    },
    "contested": {"en": "channels disagree", "sv": "kanalerna är oense"},
    "channel": {"en": "channel", "sv": "kanal"},
    "contribution": {"en": "contribution", "sv": "bidrag"},
    "components": {"en": "the rule's numbers", "sv": "regelns tal"},
    "no_information": {"en": "no information this year", "sv": "inga uppgifter detta år"},
    "years": {"en": "years", "sv": "år"},
    "year": {"en": "year", "sv": "år"},
    "transitions": {"en": "Transitions", "sv": "Övergångar"},
    "ties_flipped": {"en": "ties that changed sign", "sv": "band som bytte tecken"},
    "moved_by": {"en": "moved by (change of contribution)", "sv": "flyttat av (ändrat bidrag)"},
    "no_transitions": {
        "en": "No transitions: the configuration held through the years with three ties.",
        "sv": "Inga övergångar: konfigurationen höll under åren med tre band.",
    },
    "fused_tie": {"en": "fused tie", "sv": "sammanvägt band"},
    "uncertainty": {"en": "uncertainty", "sv": "osäkerhet"},
    "channel_un_votes": {"en": "UN votes", "sv": "FN-omröstningar"},
    "channel_alliances": {"en": "alliances", "sv": "allianser"},
    "channel_disputes": {"en": "disputes and wars", "sv": "tvister och krig"},
    "channel_rivalries": {"en": "rivalries", "sv": "rivaliteter"},
    "channel_arms": {"en": "arms transfers", "sv": "vapenöverföringar"},
    "channel_trade": {"en": "trade", "sv": "handel"},
    "channel_events": {"en": "dated events", "sv": "daterade händelser"},
    "channel_gdelt": {"en": "GDELT events", "sv": "GDELT-händelser"},
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
    """The label for ``key`` in ``lang`` (English when there is no translation).

    The one label table of powerbalance: the command line, the dashboard and
    the report all read :data:`LABELS`; an unknown key comes back as given.

    Examples
    --------
    >>> label("evidence", "sv"), label("no such label")
    ('Underlag', 'no such label')
    """
    entry = LABELS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["en"]


def heading(key: str, lang: str = "en") -> str:
    """:func:`label` with a capital first letter, for a table's column head or title.

    Examples
    --------
    >>> heading("sign"), heading("sign", "sv")
    ('Sign', 'Tecken')
    """
    text = label(key, lang)
    return text[:1].upper() + text[1:]


class Named(Protocol):
    """Anything with a name in both languages (an evidence actor)."""

    name_en: str
    name_sv: str


def actor_name(actor: Named, lang: str = "en") -> str:
    """An actor's name in the language (``name_sv`` or ``name_en``)."""
    return actor.name_sv if lang == "sv" else actor.name_en


def format_decimal(x: float, lang: str = "en", decimals: int = 2, *, signed: bool = False) -> str:
    """``x`` with exactly ``decimals`` decimals (``0.33``, ``+1.00``); Swedish ``0,33``.

    For fixed-width table figures such as a tie's strength and weight.

    Examples
    --------
    >>> format_decimal(0.333), format_decimal(0.333, "sv"), format_decimal(-1, "sv", signed=True)
    ('0.33', '0,33', '-1,00')
    """
    text = f"{float(x):{'+' if signed else ''}.{decimals}f}"
    return text.replace(".", ",") if lang == "sv" else text


def components_line(components: dict[str, float], lang: str = "en") -> str:
    """A tie's components as ``political=-0.33, economic_weight=0.25`` (decimal comma in sv).

    Examples
    --------
    >>> components_line({"political": -1 / 3, "interdependence": 0.34}, "sv")
    'political=-0,33; interdependence=0,34'
    >>> components_line({"political": -1 / 3, "interdependence": 0.34})
    'political=-0.33, interdependence=0.34'
    """
    # Swedish writes 0,33: a comma between the components would read as a decimal comma.
    sep = "; " if lang == "sv" else ", "
    return sep.join(f"{k}={format_decimal(v, lang)}" for k, v in components.items())


# --- arithmetic lines and notes of the dependence indicators -----------------------------

#: How each dependence indicator writes its arithmetic (``formula``) and its note, by
#: template key and language. Fields are the result's ``params``: ``{x:n}`` a number,
#: ``{x:pct}`` a percentage, ``{x:pp}`` percentage points, ``{x:scale}`` the money scale
#: word of a scale factor (`` bn``, `` mdr``), ``{x:unit}`` a currency or unit,
#: ``{x:period}`` a period label; plain ``{x}`` (actor ids) is written as given.
INDICATOR_TEXTS: dict[str, dict[str, dict[str, str]]] = {
    "trade.share_asymmetry.ratio": {
        "formula": {
            "en": "{s_ab:pct} / {s_ba:pct} = {ratio:n}",
            "sv": "{s_ab:pct} / {s_ba:pct} = {ratio:n}",
        },
        "note": {
            "en": "{a} depends {ratio:n} times as much on trade with {b} as {b} does on {a}.",
            "sv": "{a} är {ratio:n} gånger så beroende av handeln med {b} som {b} är av "
            "handeln med {a}.",
        },
    },
    "trade.share_asymmetry.difference": {
        "formula": {
            "en": "{s_ab:pct} - {s_ba:pct} = {diff:pp}",
            "sv": "{s_ab:pct} - {s_ba:pct} = {diff:pp}",
        },
    },
    "implied_level": {
        "formula": {
            "en": "{level:n}{scale:scale} / (1 + {growth:n}/100) = "
            "{implied:n}{scale:scale} {unit:unit}",
            "sv": "{level:n}{scale:scale} / (1 + {growth:n}/100) = "
            "{implied:n}{scale:scale} {unit:unit}",
        },
        "note": {
            "en": "The {then:period} level implied by the {now:period} level and the growth claim.",
            "sv": "Nivån {then:period} härledd ur nivån {now:period} och uppgiften om tillväxten.",
        },
    },
    "trade.partner_shift": {
        "formula": {
            "en": "{new} {after:pct} ({after_period:period}) - {old} {before:pct} "
            "({before_period:period}) = {diff:pp}",
            "sv": "{new} {after:pct} ({after_period:period}) - {old} {before:pct} "
            "({before_period:period}) = {diff:pp}",
        },
        "note": {
            "en": "{new} now holds {kept:pct} of the place {old} held in {country}'s trade "
            "before the pivot.",
            "sv": "{new} har nu {kept:pct} av den plats som {old} hade i {country}:s handel "
            "före omsvängningen.",
        },
    },
    "exports.energy_concentration": {
        "formula": {
            "en": "energy share of {exporter}'s exports to {partner} = {share:pct}",
            "sv": "energins andel av {exporter}:s export till {partner} = {share:pct}",
        },
    },
    "fdi.share_of_gdp": {
        "formula": {
            "en": "{investor} investment in {host} = {share:pct} of {host}'s GDP",
            "sv": "{investor}:s investeringar i {host} = {share:pct} av {host}:s BNP",
        },
    },
    "gdp.implied": {
        "formula": {
            "en": "{stock:n}{stock_scale:scale} / {share:pct} = {gdp:n}{gdp_scale:scale} {unit:unit}",
            "sv": "{stock:n}{stock_scale:scale} / {share:pct} = {gdp:n}{gdp_scale:scale} {unit:unit}",
        },
        "note": {
            "en": "{host}'s GDP implied by the two claims (rounded figures: an order of magnitude).",
            "sv": "{host}:s BNP härledd ur de två uppgifterna (avrundade tal: en storleksordning).",
        },
    },
    "fdi.stock.implied_reference": {
        "formula": {
            "en": "{stock:n}{stock_scale:scale} / {ratio:n} = "
            "{implied:n}{implied_scale:scale} {unit:unit}",
            "sv": "{stock:n}{stock_scale:scale} / {ratio:n} = "
            "{implied:n}{implied_scale:scale} {unit:unit}",
        },
        "note": {
            "en": "{investor}'s investment in {reference} implied by the ratio claim.",
            "sv": "{investor}:s investeringar i {reference} härledda ur kvotuppgiften.",
        },
    },
    "fdi.asymmetry.ratio": {
        "formula": {
            "en": "{ab:n}{ab_scale:scale} / {ba:n}{ba_scale:scale} {currency:unit} = {ratio:n}",
            "sv": "{ab:n}{ab_scale:scale} / {ba:n}{ba_scale:scale} {currency:unit} = {ratio:n}",
        },
    },
    "change_ratio": {
        "formula": {
            "en": "1 + ({change:n}/100) = {ratio:n}",
            "sv": "1 + ({change:n}/100) = {ratio:n}",
        },
    },
}

#: Units written out in arithmetic lines (currency codes are written as given).
_FORMULA_UNITS: dict[str, dict[str, str]] = {"money": {"en": "money", "sv": "pengar"}}


def formula_number(x: float | None, lang: str = "en") -> str:
    """A number of an arithmetic line: four significant digits, whole above 10,000.

    Swedish takes a decimal comma and spaces between thousands; a missing
    number (``None``, as JSON writes NaN) is ``nan`` in English, ``—`` in Swedish.

    Examples
    --------
    >>> formula_number(147.5903), formula_number(147.5903, "sv"), formula_number(1800, "sv")
    ('147.6', '147,6', '1\xa0800')
    >>> formula_number(2.2867), formula_number(-64.0, "sv"), formula_number(1234567.0)
    ('2.287', '-64', '1,234,567')
    """
    if x is None or (isinstance(x, float) and x != x):
        return "—" if lang == "sv" else "nan"
    x = float(x)
    text = f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"
    if lang == "sv" and text not in ("nan", "inf", "-inf"):
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def _scale_word(scale: float | None, lang: str) -> str:
    for threshold, en_word, sv_word, _ in MONEY_SCALES:
        if scale == threshold:
            return " " + (sv_word if lang == "sv" else en_word)
    return ""


def _period_label(text: object, lang: str) -> str:
    return period_label(text, lang)


#: Period wordings of results that are words, not dates (the data keeps the English).
PERIOD_WORDS: dict[str, dict[str, str]] = {
    "as of the latest evidence": {
        "en": "as of the latest evidence",
        "sv": "enligt det senaste underlaget",
    },
}

_CIRCA = re.compile(r"(?<![\w.])c\. (?=\d)")


def period_label(text: object, lang: str = "en") -> str:
    """A period label of a claim or a result (``c. 2021 → 2024``) as ``lang`` writes it.

    Swedish writes an approximate year with ``ca`` and the relations' period
    wording in Swedish; English is the label as given. ``None`` is empty.

    Examples
    --------
    >>> period_label("c. 2021 → 2024", "sv"), period_label("2024 → c. 2021", "sv")
    ('ca 2021 → 2024', '2024 → ca 2021')
    >>> period_label("as of the latest evidence", "sv"), period_label("c. 2021")
    ('enligt det senaste underlaget', 'c. 2021')
    >>> period_label(None, "sv"), period_label(2024, "sv")
    ('', '2024')
    """
    if text is None:
        return ""
    text = str(text)
    if lang == "en":
        return text
    words = PERIOD_WORDS.get(text)
    if words is not None:
        return words.get(lang) or text
    if lang == "sv":
        return _CIRCA.sub("ca ", text)  # an approximate period: circa
    return text


def indicator_label(key: str, lang: str = "en") -> str:
    """An indicator's name in a table: its label in ``lang``, else its key.

    English tables show the key (as before); other languages the translated
    label where :data:`LABELS` has one.

    Examples
    --------
    >>> indicator_label("fdi.share_of_gdp", "sv"), indicator_label("fdi.share_of_gdp")
    ('Investeringar som andel av värdlandets BNP', 'fdi.share_of_gdp')
    >>> indicator_label("trade.bilateral.growth", "sv")
    'trade.bilateral.growth'
    """
    key = str(key)
    if lang == "en":
        return key
    entry = LABELS.get(key)
    return (entry.get(lang) or key) if entry else key


def format_general(x: object, lang: str = "en", digits: int = 4) -> str:
    """A figure of a generic table: whole numbers as given, fractions to ``digits``
    significant digits, numbers beyond ±99,999 whole and grouped; Swedish takes a
    decimal comma and spaces between thousands.

    Examples
    --------
    >>> format_general(0.91563), format_general(0.91563, "sv"), format_general(2024, "sv")
    ('0.9156', '0,9156', '2024')
    >>> format_general(1234567.0), format_general(1234567.0, "sv"), format_general(0.705, "sv", 3)
    ('1,234,567', '1\xa0234\xa0567', '0,705')
    >>> format_general(None, "sv"), format_general(True, "sv")
    ('—', 'True')
    """
    if x is None:
        return "—"
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    if abs(x) > 99999:
        text = f"{x:,.0f}"
    elif isinstance(x, int):
        return str(x)
    else:
        text = f"{x:.{digits}g}"
    if lang == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


class _FormulaFormatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        lang = self.lang
        if format_spec == "n":
            return formula_number(value, lang)
        if format_spec == "pct":
            return formula_number(value, lang) + (" %" if lang == "sv" else "%")
        if format_spec == "pp":
            return f"{formula_number(value, lang)} {UNIT_WORDS['percentage points'][lang]}"
        if format_spec == "scale":
            return _scale_word(value, lang)
        if format_spec == "unit":
            return _FORMULA_UNITS.get(str(value), {}).get(lang, str(value))
        if format_spec == "period":
            return _period_label(value, lang)
        return str(value)


def render_indicator(template: str, params: Mapping[str, Any], lang: str = "en") -> tuple[str, str]:
    """The arithmetic line and the note of template ``template`` with ``params``, in ``lang``.

    Raises ``KeyError`` for an unknown template or a missing parameter.

    Examples
    --------
    >>> p = {"s_ab": 34.0, "s_ba": 4.0, "diff": 30.0}
    >>> render_indicator("trade.share_asymmetry.difference", p, "sv")
    ('34 % - 4 % = 30 p.e.', '')
    >>> p = {"level": 245.0, "growth": 66.0, "implied": 147.59, "scale": 1e9, "unit": "USD",
    ...      "then": "2021", "now": "2024"}
    >>> render_indicator("implied_level", p, "sv")[0]
    '245 mdr / (1 + 66/100) = 147,6 mdr USD'
    """
    texts = INDICATOR_TEXTS[template]
    fmt = _FormulaFormatter(lang if lang in LANGUAGES else "en")
    out = []
    for part in ("formula", "note"):
        entry = texts.get(part)
        out.append(fmt.vformat(entry.get(lang) or entry["en"], (), params) if entry else "")
    return out[0], out[1]


def indicator_text(result: Any, lang: str = "en") -> tuple[str, str]:
    """An indicator result's arithmetic line and note in ``lang``: ``(formula, note)``.

    ``result`` is an :class:`~powerbalance.indicators.base.IndicatorResult` or
    its dict (``to_dict()``, the assessment's and the report's rows). English
    is the result's own ``formula`` and ``note``; other languages are written
    from its ``template`` and ``params`` (the English text when it has none).

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> from powerbalance.indicators.dependence import trade_share_asymmetry
    >>> ratio, diff = trade_share_asymmetry(load_corpus(), "RUS", "CHN")
    >>> indicator_text(diff, "sv")
    ('34 % - 4 % = 30 p.e.', '')
    >>> indicator_text(ratio.to_dict(), "en")[0]
    '34% / 4% = 8.5'
    """
    if not isinstance(result, Mapping):
        result = result.to_dict()  # an IndicatorResult
    get = result.get

    formula, note = str(get("formula") or ""), str(get("note") or "")
    template, params = get("template"), get("params")
    if lang == "en" or not template or template not in INDICATOR_TEXTS or params is None:
        return formula, note
    try:
        return render_indicator(str(template), params, lang)
    except (KeyError, IndexError, ValueError, TypeError):
        # params that do not fit the template (a result from an older version): as stored
        return formula, note


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
        "t": lambda key: label(key, lang),
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
    return label(key, lang)


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
    if lang and lang.lower() in LANGUAGES:
        return lang.lower()
    return "en"
