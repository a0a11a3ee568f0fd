"""The named structural parameters of the transmission model.

The articles give the figures that anchor the model (Russia–China trade, each
side's share of the other's trade, the energy share of Russia's exports to
China, the US tariff); they are read from the evidence, never typed in here.
Everything else the model needs is a *structural parameter*: a named number
with a default, a range a user can sample, a unit and a rationale saying where
the default comes from. ``docs/transmission-model.md`` prints this table.

Examples
--------
>>> PARAMETERS["sanctions_trade_semi_elasticity"].default
1.5
>>> sorted(PARAMETERS)[:2]
['energy_redirect_fraction', 'eu_share_of_russian_trade']
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Parameter:
    """A structural parameter: default, the range it may be sampled over, unit and rationale."""

    name: str
    default: float
    low: float
    high: float
    unit: str
    rationale: str

    def __post_init__(self) -> None:
        if not self.low <= self.default <= self.high:
            raise ValueError(
                f"{self.name}: default {self.default} outside [{self.low}, {self.high}]"
            )

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "default": self.default,
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
            "rationale": self.rationale,
        }


_TRADE_2024 = (
    "Goods trade in 2024; the articles do not give it. Default: the order of magnitude of "
    "the 2024 customs statistics of both reporters; the range covers the gap between what "
    "the two sides report."
)

PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in [
        # --- the trade matrix beyond what the articles give -------------------------------
        Parameter("trade_usa_chn", 600.0, 500.0, 700.0, "USD bn/year", _TRADE_2024),
        Parameter("trade_eu_chn", 790.0, 700.0, 860.0, "USD bn/year", _TRADE_2024),
        Parameter("trade_usa_eu", 950.0, 850.0, 1050.0, "USD bn/year", _TRADE_2024),
        Parameter("trade_usa_rus", 3.5, 2.0, 6.0, "USD bn/year", _TRADE_2024),
        Parameter(
            "eu_share_of_russian_trade",
            10.0,
            5.0,
            20.0,
            "percent",
            "The EU's share of Russia's trade today. The articles give 37% only for the years "
            "before Russia turned to China; sanctions since 2022 cut it to roughly a tenth "
            "(EU trade with Russia of about EUR 68 bn in 2024).",
        ),
        Parameter(
            "total_trade_usa",
            5300.0,
            5000.0,
            5600.0,
            "USD bn/year",
            "US goods exports plus imports, 2024 (about 2.1 + 3.3 trillion dollars).",
        ),
        Parameter(
            "total_trade_eu",
            5400.0,
            5000.0,
            5800.0,
            "USD bn/year",
            "Extra-EU goods exports plus imports, 2024 (about EUR 5.0 trillion).",
        ),
        Parameter(
            "rus_export_fraction_chn",
            0.53,
            0.45,
            0.60,
            "fraction",
            "Russia's exports as a fraction of Russia–China trade (2024: roughly 129 of 245 bn "
            "dollars); turns the energy share of exports into a share of the bilateral flow.",
        ),
        Parameter(
            "usa_import_fraction_chn",
            0.75,
            0.65,
            0.82,
            "fraction",
            "US imports as a fraction of US–China trade (2024: roughly 440 of 580 bn dollars "
            "by US figures); tariffs act on the importer's side of a flow.",
        ),
        # --- how flows respond ------------------------------------------------------------
        Parameter(
            "energy_redirect_fraction",
            0.5,
            0.0,
            0.9,
            "fraction",
            "Of energy exports that one buyer stops taking, the fraction the exporter sells to "
            "the rest of the world instead. Sanctions leave Russia few other buyers (the first "
            "article), so well below 1; India and Turkey took much of the oil Europe dropped, "
            "so above 0.",
        ),
        Parameter(
            "sanctions_trade_semi_elasticity",
            1.5,
            0.5,
            3.0,
            "log points per sanctions level",
            "Bilateral trade falls by a factor exp(-k * change of sanctions level). EU–Russia "
            "trade fell by about three quarters (-1.4 log points) when sanctions went from "
            "light to near-comprehensive in 2022, which gives k of about 1.5.",
        ),
        Parameter(
            "tariff_trade_elasticity",
            4.0,
            2.0,
            8.0,
            "elasticity",
            "Trade elasticity of structural gravity models (Head & Mayer 2014 report central "
            "values of 3 to 6): the flow changes by (1+t1)/(1+t0) to the power -elasticity.",
        ),
        # --- base sanctions and tariffs the articles name but do not quantify --------------
        Parameter(
            "sanctions_usa_rus",
            0.8,
            0.6,
            1.0,
            "level 0..1",
            "US sanctions on Russia, on a 0 (none) to 1 (comprehensive embargo) scale: broad "
            "financial and export sanctions since 2014 and 2022, short of a full embargo.",
        ),
        Parameter(
            "sanctions_eu_rus",
            0.8,
            0.6,
            1.0,
            "level 0..1",
            "EU sanctions on Russia on the same scale; the first article says Western "
            "sanctions left Russia few other buyers.",
        ),
        Parameter(
            "sanctions_usa_chn",
            0.3,
            0.1,
            0.5,
            "level 0..1",
            "US export controls and entity listings on China: targeted, far from an embargo.",
        ),
        Parameter(
            "tariff_usa_chn",
            30.0,
            10.0,
            145.0,
            "percent",
            "US tariff on Chinese goods in May 2025 (the 10% on everyone the second article "
            "reports plus the extra on China); the range spans the April 2025 escalation.",
        ),
        Parameter(
            "tariff_chn_usa",
            10.0,
            10.0,
            125.0,
            "percent",
            "China's retaliatory tariff on US goods in May 2025; the range spans April 2025.",
        ),
        # --- tie strengths ------------------------------------------------------------------
        Parameter(
            "tie_stance_weight",
            2.0,
            1.0,
            3.0,
            "logit per unit stance",
            "Weight of the pair's mean stance (-1..1) in the tie's logit: a pair whose leaders "
            "call each other close partners (+2 of 2) gets tanh(2) = 0.96 from stances alone.",
        ),
        Parameter(
            "tie_interdependence_weight",
            3.0,
            0.0,
            6.0,
            "logit per unit interdependence",
            "Weight of Barbieri's interdependence (salience times symmetry of trade shares, "
            "0..1): trade ties pull towards amity (the liberal hypothesis); 0 switches it off.",
        ),
        Parameter(
            "tie_sanctions_weight",
            1.0,
            0.25,
            2.0,
            "logit per sanctions level",
            "Each unit of sanctions level (summed over both directions) pushes the tie towards "
            "enmity by this much.",
        ),
        Parameter(
            "tie_tariff_weight",
            1.0,
            0.0,
            3.0,
            "logit per 100% tariff",
            "Tariffs (percent, summed over both directions, over 100) push towards enmity.",
        ),
        Parameter(
            "tie_relation_weight",
            1.0,
            0.0,
            2.0,
            "logit per unit weight",
            "Weight of data-driven relations (events, UN votes; weight -1..1) in the tie's "
            "logit, when the baseline names any.",
        ),
        # --- bargaining ---------------------------------------------------------------------
        Parameter(
            "position_response",
            25.0,
            0.0,
            50.0,
            "points per unit tie weight",
            "How far each bargaining actor's position (0..100) moves towards 100 per unit "
            "increase of the tie weight the bargaining set is about: a swing across the whole "
            "tie range (-1 to +1) moves positions by half the scale.",
        ),
    ]
}


def defaults() -> dict[str, float]:
    """Every structural parameter at its default.

    Examples
    --------
    >>> defaults()["tie_stance_weight"]
    2.0
    """
    return {name: p.default for name, p in PARAMETERS.items()}
