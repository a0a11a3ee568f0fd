"""The controlled vocabulary of claim indicators, event kinds, issues and scales.

A claim's ``indicator`` must be a key of :data:`INDICATORS`. Keys are dotted,
from channel to measure. The table is the documentation: ``powerbalance
evidence indicators`` prints it, and ``docs/evidence.md`` explains it.

Conventions for a claim about a pair: ``actor`` is the side the quantity
belongs to and ``partner`` the other side. "China was 34% of Russia's trade"
is ``trade.share_of_total`` with actor ``RUS``, partner ``CHN``, value 34.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bounds:
    """The values a claim may hold: ``minimum``/``maximum`` inclusive (None: open)."""

    minimum: float | None
    maximum: float | None
    integer: bool = False

    def describe(self) -> str:
        """In words: ``a whole number of at least 1``, ``a number in 0..100``."""
        what = "a whole number" if self.integer else "a number"
        if self.minimum is not None and self.maximum is not None:
            return f"{what} in {self.minimum:g}..{self.maximum:g}"
        if self.minimum is not None:
            return f"{what} of at least {self.minimum:g}"
        if self.maximum is not None:
            return f"{what} of at most {self.maximum:g}"
        return what

    def admits(self, value: float) -> bool:
        if self.integer and not float(value).is_integer():
            return False
        if self.minimum is not None and value < self.minimum:
            return False
        return self.maximum is None or value <= self.maximum


# The values each unit allows unless the indicator says otherwise: amounts, lengths,
# durations and ratios are never negative, a share lies in 0..100, a change in percent
# cannot fall below -100 (all of it lost), a rank is a whole number from 1.
UNIT_BOUNDS: dict[str, Bounds] = {
    "money": Bounds(0, None),
    "percent": Bounds(0, 100),
    "ratio": Bounds(0, None),
    "rank": Bounds(1, None, integer=True),
    "count": Bounds(0, None, integer=True),
    "km": Bounds(0, None),
    "years": Bounds(0, None),
}
CHANGE_BOUNDS = Bounds(-100, None)  # a percentage change: -100 means all of it gone


@dataclass(frozen=True)
class Indicator:
    key: str
    description: str
    units: tuple[str, ...]
    pair: bool  # True when a claim must name a partner
    change: bool = False  # True when a claim compares against a comparison period
    bounds: Bounds | None = None  # None: the unit's (UNIT_BOUNDS) or CHANGE_BOUNDS

    def bounds_for(self, unit: str) -> Bounds:
        """The values a claim of this indicator in ``unit`` may hold."""
        if self.bounds is not None:
            return self.bounds
        if self.change and unit == "percent":
            return CHANGE_BOUNDS
        return UNIT_BOUNDS.get(unit, Bounds(None, None))


INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in [
        Indicator(
            "trade.bilateral.total",
            "Goods trade between actor and partner, both directions, over the period.",
            ("money",),
            True,
        ),
        Indicator(
            "trade.bilateral.growth",
            "Percentage change of bilateral trade between the comparison period and the period.",
            ("percent",),
            True,
            change=True,
        ),
        Indicator(
            "trade.share_of_total",
            "Partner's share of the actor's total foreign trade.",
            ("percent",),
            True,
        ),
        Indicator(
            "exports.composition.energy_share",
            "Energy products' share of the actor's exports to the partner.",
            ("percent",),
            True,
        ),
        Indicator(
            "fdi.stock", "Stock of direct investment by the actor in the partner.", ("money",), True
        ),
        Indicator(
            "fdi.share_of_gdp",
            "The actor's direct investment in the partner as a share of the partner's GDP.",
            ("percent",),
            True,
        ),
        Indicator(
            "fdi.relative",
            "The actor's direct investment in the partner divided by its investment in a third country (named in `reference`).",
            ("ratio",),
            True,
        ),
        Indicator(
            "fdi.investor_rank",
            "The actor's rank among the partner's foreign investors (1 = largest).",
            ("rank",),
            True,
        ),
        Indicator(
            "arms.imports.change",
            "Percentage change of the actor's total arms imports (SIPRI TIV) between the comparison period and the period.",
            ("percent",),
            False,
            change=True,
        ),
        Indicator(
            "arms.supplier_rank",
            "The partner's rank among the actor's arms suppliers (1 = largest), by SIPRI TIV.",
            ("rank",),
            True,
        ),
        Indicator(
            "currency.share",
            "Share of the actor's trade with the partner settled in the currency named in `reference`.",
            ("percent",),
            True,
        ),
        Indicator(
            "currency.exchange_rank",
            "Rank of the currency named in `reference` by trading volume on the actor's main exchange.",
            ("rank",),
            False,
        ),
        Indicator(
            "currency.reserve_alternatives",
            "Number of currencies other than the one named in `reference` that the actor's central bank considers usable for its reserves.",
            ("count",),
            False,
        ),
        Indicator(
            "border.length", "Length of the land border between actor and partner.", ("km",), True
        ),
        Indicator(
            "poll.share",
            "Share of respondents in the actor's population giving the answer described in `reference`.",
            ("percent",),
            False,
        ),
        Indicator(
            "tariff.rate",
            "Tariff rate the actor announced on imports (from the partner, or from everyone when no partner).",
            ("percent",),
            False,
            bounds=Bounds(0, None),  # a rate, not a share: 145% tariffs have been announced
        ),
        Indicator(
            "sanctions.duration",
            "Years a set of sanctions by the actor on the partner was in force.",
            ("years",),
            True,
        ),
        Indicator(
            "un.abstention_share",
            "Share of the UN General Assembly votes on a topic (named in `reference`) on which the actor abstained.",
            ("percent",),
            False,
        ),
        Indicator(
            "threat.rank",
            "Rank of the partner among the actor's state adversaries in its official threat assessment (1 = foremost).",
            ("rank",),
            True,
        ),
        Indicator(
            "history.anniversary",
            "Anniversary the actor commemorated (years since the event named in `reference`).",
            ("years",),
            False,
        ),
    ]
}

UNITS = {
    "money": "an amount of money, not negative: give `currency` (ISO 4217) and `scale` (1e9 for billions)",
    "percent": "percent (a share 0-100; a change from -100 up; a tariff rate from 0 up)",
    "ratio": "a dimensionless ratio, not negative",
    "rank": "an ordinal rank, a whole number, 1 = first",
    "count": "a count, a whole number from 0",
    "km": "kilometres, not negative",
    "years": "years, not negative",
}

EVENT_KINDS: dict[str, str] = {
    "summit": "a meeting of leaders or senior officials",
    "parade": "a military parade or commemoration",
    "visit": "an official visit or first foreign trip",
    "sanctions": "sanctions imposed or lifted",
    "tariff": "a tariff announced or imposed",
    "vote": "a vote in an international body",
    "interview": "an interview given to the media",
    "publication": "an article, report or proposal published",
    "announcement": "a public statement of policy or intent",
    "agreement": "a treaty, contract or accord",
    "war": "the start or a turn of an armed conflict",
    "annexation": "a territory taken or annexed",
    "infrastructure": "a pipeline, line or facility opened or shelved",
    "market": "a market or financial development",
    "founding": "a town, state or organisation founded",
    "meeting": "a meeting of non-official figures",
    "biography": "a birth or death",
    "trade": "a change in trade flows reported at a date",
    "dispute": "a public quarrel between leaders",
    "normalisation": "diplomatic relations established or declared normal again",
    "border_clash": "an armed clash between the forces of two states at their border",
    "rupture": "a break in relations: aid withdrawn, advisers recalled, ties cut",
}

DATE_PRECISIONS = ("day", "month", "year")

# Stance scale: one integer in -2..2 of the actor towards an issue or another actor.
STANCE_SCALE: dict[int, str] = {
    -2: "strongly against / hostile",
    -1: "against / wary",
    0: "neutral, ambivalent or oscillating",
    1: "in favour / friendly",
    2: "strongly in favour / close partner",
}

# Issues for stances. An issue key names a thing one can be for or against.
ISSUES: dict[str, str] = {
    "multipolarity": "a multipolar world order with spheres of influence",
    "liberal_democracy": "liberal democracy as a model",
    "wokeism": "'wokeism', cancel culture and the politics of gender identity",
    "traditional_values": "a return to 'traditional values' and 'natural' hierarchies",
    "executive_constraints": "limits on executive power",
    "free_trade": "free trade and open markets",
    "western_sanctions": "Western economic sanctions",
    "tariffs": "tariffs as an instrument of policy",
    "israel": "support for the Israeli government in the Israel–Palestine conflict",
    "iran": "the Islamic Republic of Iran",
    "arctic_expansion": "expanding US positions in the Arctic (Greenland, Canada)",
    "strong_state": "a strong central state that embodies the nation",
    "federal_state_dismantling": "dismantling the federal administration",
    "ukraine_support": "supporting Ukraine's war effort",
    "us_russia_alliance": "an alliance between Washington and Moscow",
    "us_russia_ceasefire_deal": "a ceasefire or peace deal struck between the US and Russia",
    "global_south_ties": "stronger ties with the 'Global South'",
    "dialogue_with_west": "dialogue with a West led by Trump or Orbán",
    "collective_west": "'the collective West' as a civilisation",
    "liberal_order": "the liberal international order",
    "russian_exports_to_china_growth": "letting Russian exports to China keep growing",
    "power_of_siberia_2": "building the Power of Siberia 2 gas pipeline",
    "russian_military_adventures": "further Russian military adventures",
    "putin_in_power": "keeping Putin in power",
    "us_hegemony": "US hegemony ('hegemonism')",
    "european_democracy": "democracy on the European continent",
    "eu": "the European Union and its liberal claims",
}
