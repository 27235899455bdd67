"""Compare countries: Index scores side by side, and their change between editions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from graph.backends.base import IRI
from graph.errors import DataError, QueryError

__all__ = ["common_editions", "compare"]


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
        Edition years to show, e.g. ``(2021, 2023)``. By default the editions that score
        every one of the countries, so that all are compared over the same span (Mali has
        a 2025 profile, Niger not: Mali against Niger compares 2021 and 2023).
    indicators : iterable of str, optional
        Only these indicators (names or IRIs), e.g. ``["Arms trafficking"]``.

    Returns
    -------
    list of dict
        One row per indicator and country, sorted by indicator then country: ``indicator``
        ({id, label}), ``country`` ({id, label}), one key per edition year (as a string,
        e.g. ``"2021"``) holding the score or ``None``, ``delta``: the score in the last
        shown edition minus the score in the first (``None`` unless both score the
        indicator, so every delta spans the same editions), and ``delta_editions`` naming
        them, e.g. ``"2021-2023"`` (``None`` with the delta).

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
    >>> {r["delta_editions"] for r in compare(kg, ["Mali", "Niger"]) if r["delta"] is not None}
    {'2021-2023'}
    """
    if isinstance(countries, str):
        countries = [countries]
    if not countries:
        raise DataError("compare needs at least one country")
    places = []
    for name in countries:
        iri = kg.resolve(str(name), classes=("tkg:Country",))
        if iri not in places:
            places.append(iri)
    names = kg.index_of(places)  # the countries' labels, not every entity's
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
    scored: dict[str, set[int]] = {place: set() for place in places}
    for place in places:
        for row in kg.query("country-scores", country=place):
            if row.get("score") is None or (wanted is not None and row["indicator"] not in wanted):
                continue
            labels[row["indicator"]] = row["indicatorLabel"]
            table.setdefault((row["indicator"], place), {})[row["year"]] = row["score"]
            scored[place].add(row["year"])
    columns = years if years is not None else common_editions(scored)
    rows = []
    for (indicator, place), values in table.items():
        row: dict[str, Any] = {"indicator": {"id": indicator, "label": labels[indicator]},
                               "country": {"id": IRI(place), "label": names.label(place)}}
        for year in columns:
            row[str(year)] = values.get(year)
        # Change from the first to the last shown edition, the same span for every row
        # (indicators new in 2023 have none rather than a shorter one).
        first, last = (columns[0], columns[-1]) if len(columns) > 1 else (None, None)
        both = first is not None and values.get(first) is not None \
            and values.get(last) is not None
        row["delta"] = round(values[last] - values[first], 4) if both else None
        row["delta_editions"] = f"{first}-{last}" if both else None
        rows.append(row)
    rows.sort(key=lambda r: (r["indicator"]["label"].casefold(),
                             places.index(r["country"]["id"])))
    return rows


def common_editions(scored: dict[str, set[int]]) -> list[int]:
    """The editions that score every country (the years of all, when they share none).

    Examples
    --------
    >>> common_editions({"Mali": {2021, 2023, 2025}, "Niger": {2021, 2023}})
    [2021, 2023]
    """
    sets = [years for years in scored.values() if years]
    if not sets:
        return []
    shared = set.intersection(*sets)
    return sorted(shared or set.union(*sets))
