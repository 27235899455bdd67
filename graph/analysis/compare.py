"""Compare countries: Index scores side by side, and their change between editions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from graph.errors import DataError, QueryError
from graph.traverse._model import model

__all__ = ["compare"]


def compare(kg, countries: Sequence[str] | str, editions: Iterable[int] | None = None,
            indicators: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Index scores of one or more countries side by side, with the change between editions.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    countries : str or list of str
        Countries (names, ISO codes or IRIs).
    editions : iterable of int, optional
        Edition years to show, e.g. ``(2021, 2023)``; by default every edition with a score
        for any of the countries.
    indicators : iterable of str, optional
        Only these indicators (names or IRIs), e.g. ``["Arms trafficking"]``.

    Returns
    -------
    list of dict
        One row per indicator and country, sorted by indicator then country: ``indicator``
        ({id, label}), ``country`` ({id, label}), one key per edition year (as a string,
        e.g. ``"2021"``) holding the score or ``None``, ``delta``: the score in the latest
        shown edition that scores the indicator minus the score in the earliest one (``None``
        with fewer than two), and ``delta_editions`` naming them, e.g. ``"2021-2023"``.

    Raises
    ------
    graph.errors.EntityNotFound
        If a country or indicator matches nothing.
    graph.errors.DataError
        If no country was given.
    graph.errors.QueryError
        If an edition is not a year.

    Examples
    --------
    >>> rows = compare(kg, ["Mali"], editions=(2021, 2023), indicators=["Criminal actors"])
    >>> [(r["2021"], r["2023"], r["delta"]) for r in rows]
    [(5.63, 5.4, -0.23)]
    """
    if isinstance(countries, str):
        countries = [countries]
    if not countries:
        raise DataError("compare needs at least one country")
    m = model(kg)
    places = []
    for name in countries:
        iri = m.resolve(name, "tkg:Country")
        if iri not in places:
            places.append(iri)
    wanted = None
    if indicators is not None:
        wanted = {kg.resolve(str(i), classes=("tkg:IndexIndicator",)) for i in indicators}
    years: list[int] | None = None
    if editions is not None:
        try:
            years = sorted({int(e) for e in editions})
        except (TypeError, ValueError):
            raise QueryError(f"editions must be years, got {editions!r}") from None
    table: dict[tuple[str, str], dict[int, float]] = {}
    labels: dict[str, str] = {}
    seen_years: set[int] = set()
    for place in places:
        for row in kg.query("country-scores", country=place):
            if row.get("score") is None or (wanted is not None and row["indicator"] not in wanted):
                continue
            labels[row["indicator"]] = row["indicatorLabel"]
            table.setdefault((row["indicator"], place), {})[row["year"]] = row["score"]
            seen_years.add(row["year"])
    columns = years if years is not None else sorted(seen_years)
    rows = []
    for (indicator, place), values in table.items():
        row: dict[str, Any] = {"indicator": {"id": indicator, "label": labels[indicator]},
                               "country": m.ref(place)}
        for year in columns:
            row[str(year)] = values.get(year)
        # Change between the earliest and the latest shown edition that score this indicator
        # for this country (2021 -> 2023 for most; indicators new in 2023 have none).
        present = [year for year in columns if values.get(year) is not None]
        row["delta"] = (round(values[present[-1]] - values[present[0]], 4)
                        if len(present) > 1 else None)
        row["delta_editions"] = f"{present[0]}-{present[-1]}" if len(present) > 1 else None
        rows.append(row)
    rows.sort(key=lambda r: (r["indicator"]["label"].casefold(),
                             places.index(r["country"]["id"])))
    return rows
