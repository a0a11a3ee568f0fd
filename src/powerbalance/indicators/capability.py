"""Composite Index of National Capability (CINC) from the six COW NMC components.

CINC (Singer, Bremer and Stuckey 1972) is a state's average share of the
interstate system's military expenditure, military personnel, iron and steel
production, primary energy consumption, total population and urban population
in a year.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from powerbalance.errors import UserError

COMPONENTS: tuple[str, ...] = ("milex", "milper", "irst", "pec", "tpop", "upop")


def capability_shares(
    frame: pd.DataFrame, *, components: Sequence[str] = COMPONENTS, by: str = "year"
) -> pd.DataFrame:
    """Each state's share of the system total of each component, year by year.

    Parameters
    ----------
    frame
        One row per state-year with the component columns (negative COW codes
        already turned into missing values, as the readers do).
    components
        The component columns.
    by
        The column that defines the system (the year).

    Returns
    -------
    pandas.DataFrame
        Same index, one share column per component; a missing component has a
        missing share.
    """
    missing = [c for c in (*components, by) if c not in frame.columns]
    if missing:
        raise UserError(f"the frame lacks the column(s) {', '.join(missing)} needed for CINC")
    values = frame[list(components)].astype(float)
    if (values < 0).to_numpy().any():
        raise UserError(
            "negative component values: COW's -9 means missing; read the file with "
            "powerbalance.datasets.readers.read_cow_nmc, which turns them into missing values"
        )
    totals = values.groupby(frame[by]).transform("sum")
    with np.errstate(divide="ignore", invalid="ignore"):
        return values / totals.where(totals > 0)


def cinc(
    frame: pd.DataFrame, *, components: Sequence[str] = COMPONENTS, by: str = "year"
) -> pd.Series:
    """CINC recomputed from the six components.

    Parameters
    ----------
    frame
        State-years with ``milex, milper, irst, pec, tpop, upop`` and ``year``.
    components, by
        As for :func:`capability_shares`.

    Returns
    -------
    pandas.Series
        CINC in [0, 1] for every row; missing only when all components are.

    Notes
    -----
    With :math:`x_{ik}` the value of component :math:`k` for state :math:`i`
    in a year and :math:`K_i` the components state :math:`i` reports,

    .. math:: \\mathrm{CINC}_i = \\frac{1}{|K_i|} \\sum_{k \\in K_i} \\frac{x_{ik}}{\\sum_j x_{jk}}

    A missing component is left out of both the system total and the state's
    average, which is how COW computes the published ``cinc`` (it agrees to
    rounding with every state-year of NMC v5.0 and v6.0). The shares of each
    component sum to 1 over the system, so CINC sums to 1 when no component
    is missing.

    Examples
    --------
    >>> df = pd.DataFrame({"year": [1900, 1900], "milex": [3, 1], "milper": [1, 1],
    ...                    "irst": [1, 0], "pec": [2, 2], "tpop": [1, 3], "upop": [1, 1]})
    >>> cinc(df).round(4).tolist()
    [0.5833, 0.4167]

    References
    ----------
    Singer, J. D., Bremer, S. and Stuckey, J. (1972). Capability distribution,
    uncertainty, and major power war, 1820-1965. In B. Russett (ed.), Peace,
    War, and Numbers, 19-48. Beverly Hills: Sage.
    Singer, J. D. (1987). Reconstructing the Correlates of War dataset on
    material capabilities of states, 1816-1985. International Interactions
    14(2), 115-132. doi:10.1080/03050628808434695.
    """
    shares = capability_shares(frame, components=components, by=by)
    return shares.mean(axis=1, skipna=True).rename("cinc")


def capability_ratio(cinc_a: float | np.ndarray, cinc_b: float | np.ndarray) -> float | np.ndarray:
    """The stronger side's share of the pair's combined capability, in [0.5, 1].

    Examples
    --------
    >>> float(capability_ratio(0.2, 0.05))
    0.8
    """
    a = np.asarray(cinc_a, dtype=float)
    b = np.asarray(cinc_b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.maximum(a, b) / (a + b)
    return out
