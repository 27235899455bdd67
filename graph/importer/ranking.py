"""Rank countries on the Index's headline averages: in the world, their continent, their sub-region.

Standard competition ranking ("1224"): rank 1 is the highest score, countries with equal
scores share a rank and the next rank skips accordingly, as the Index prints them (Mali and
Comoros share 178th on 2021 resilience). Scores are compared exactly, on the unrounded means
of :mod:`graph.importer.averages`, never on the two-decimal figures. Continents and
sub-regions are the workbook's own, per edition (the 2023 edition merges the Caribbean with
Central America).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from graph.importer.mapping import EditionTable, Vocabulary

__all__ = ["RankRecord", "competition_ranks", "rank_edition", "scopes"]


def competition_ranks(values: Mapping[Hashable, Fraction]) -> dict:
    """Rank ``values`` highest first; equal values share the best of their positions.

    Examples
    --------
    >>> competition_ranks({"a": 3, "b": 5, "c": 5, "d": 1})
    {'b': 1, 'c': 1, 'a': 3, 'd': 4}
    >>> competition_ranks({})
    {}
    """
    ordered = sorted(values, key=lambda k: values[k], reverse=True)
    ranks: dict = {}
    for position, item in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        if previous is not None and values[previous] == values[item]:
            ranks[item] = ranks[previous]
        else:
            ranks[item] = position
    return ranks


def scopes() -> dict:
    """Rank scope concept -> the attribute of a country row that groups it (None: the world).

    Examples
    --------
    >>> from graph.namespaces import IND
    >>> scopes()[IND["scope-subregion"]]
    'region'
    """
    from graph.namespaces import IND

    return {IND["scope-world"]: None, IND["scope-continent"]: "continent",
            IND["scope-subregion"]: "region"}


@dataclass(frozen=True)
class RankRecord:
    """One country's rank on one average within one scope of one edition."""

    #: The country place.
    place: object
    #: The average ranked on (``ind:criminality`` or ``ind:resilience``).
    average: object
    #: The rank scope concept.
    scope: object
    #: The continent or sub-region ranked within; None for the world.
    region: object | None
    #: Position, 1 = highest score.
    rank: int
    #: How many countries the scope holds.
    out_of: int
    #: The other countries of the scope with exactly the same score.
    tied_with: tuple = ()


def rank_edition(table: EditionTable, exact: Mapping, vocab: Vocabulary) -> list[RankRecord]:
    """Rank every country of ``table`` on every ranked average, in every scope.

    Parameters
    ----------
    table : EditionTable
        The edition's countries with their continent and sub-region.
    exact : mapping
        Country place -> {average -> exact mean}, from
        :func:`graph.importer.averages.check_averages`.
    vocab : Vocabulary
        Gives the averages the Index ranks on (top concepts of ``ind:aggregates``).

    Returns
    -------
    list of RankRecord
        In sheet order of the countries, then average, then scope.
    """
    records: dict = defaultdict(list)
    for average in vocab.ranked:
        if average not in table.columns:
            continue
        for scope, attribute in scopes().items():
            pools: dict = defaultdict(dict)
            for row in table.rows:
                group = None if attribute is None else getattr(row, attribute)
                pools[group][row.place] = exact[row.place][average]
            for group, pool in pools.items():
                ranks = competition_ranks(pool)
                by_value: dict = defaultdict(list)
                for place, value in pool.items():
                    by_value[value].append(place)
                for place, rank in ranks.items():
                    tied = tuple(p for p in by_value[pool[place]] if p != place)
                    records[place].append(RankRecord(place, average, scope, group, rank,
                                                     len(pool), tied))
    return [record for row in table.rows for record in records[row.place]]
