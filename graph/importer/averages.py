"""Recompute each country's averages from its indicator scores and compare them with the workbook.

The Index defines its averages as plain means (see ``ontology/vocab/index-structure.ttl``):
criminal markets and criminal actors are the means of the edition's market and actor-type
scores, criminality the mean of those two averages (the averages ``skos:broader`` than it),
and resilience the mean of the twelve resilience indicators. The workbook prints every
average rounded to two decimals; a printed value further than half a cent from the exact
mean is reported, never corrected: the printed figure is what GI-TOC publishes.

Means are exact fractions, so ties (Mali and Comoros, 2.375 each in 2021) stay ties.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from graph.errors import DataError
from graph.importer.mapping import CountryRow, EditionTable, Vocabulary

__all__ = ["ROUNDING", "AverageMismatch", "check_averages", "component_classes", "recompute"]

#: Largest difference that two-decimal rounding explains.
ROUNDING = Fraction(1, 200)
#: The workbook's own caveat: differences may be off by 0.01 through binary round-off.
ROUND_OFF_SLIP = Fraction(1, 100)


def component_classes() -> dict:
    """Average -> the class of indicators it is the mean of, for averages of indicators.

    The ontology states which averages are means of other averages (``skos:broader``) but not
    which indicator class an average of indicators covers; this table says it.

    Examples
    --------
    >>> from graph.namespaces import IND, TKG
    >>> component_classes()[IND.resilience] == TKG.ResilienceIndicator
    True
    """
    from graph.namespaces import IND, TKG

    return {
        IND["criminal-markets"]: TKG.CriminalMarket,
        IND["criminal-actors"]: TKG.CriminalActorType,
        IND.resilience: TKG.ResilienceIndicator,
    }


@dataclass(frozen=True)
class AverageMismatch:
    """A printed average that differs from the exact mean of its indicators beyond rounding."""

    #: Where the printed figure sits: workbook, sheet, row and column.
    cell: str
    #: ISO3 code of the country.
    iso3: str
    #: Edition year.
    year: int
    #: Label of the average.
    average: str
    #: The workbook's figure (two decimals).
    printed: Decimal
    #: The exact mean of the indicator scores.
    recomputed: Fraction

    @property
    def difference(self) -> float:
        """Printed minus recomputed."""
        return float(Fraction(self.printed) - self.recomputed)

    def __str__(self) -> str:
        exact = float(self.recomputed)
        slip = abs(Fraction(self.printed) - self.recomputed) <= ROUND_OFF_SLIP + ROUNDING
        return (f"{self.cell}: {self.average} of {self.iso3} ({self.year}) is printed as "
                f"{self.printed} but the indicators give {exact:.4g}"
                + (" (within the 0.01 binary round-off the workbook warns of)" if slip else ""))


def recompute(row: CountryRow, averages, vocab: Vocabulary) -> dict:
    """The exact mean behind each average in ``averages`` for one country.

    Parameters
    ----------
    row : CountryRow
        The country's checked scores.
    averages : iterable
        Average concepts to compute (those the edition measures).
    vocab : Vocabulary
        For the class of each indicator and the averages' hierarchy.

    Returns
    -------
    dict
        Average concept -> :class:`fractions.Fraction`.

    Raises
    ------
    graph.errors.DataError
        If the ontology has an average this module does not know how to compute.
    """
    classes = component_classes()
    result: dict = {}

    def mean(concept) -> Fraction:
        if concept in result:
            return result[concept]
        parts = vocab.narrower_averages.get(concept)
        if parts:
            values = [mean(part) for part in parts]
        elif concept in classes:
            values = [Fraction(score) for indicator, score in row.scores.items()
                      if vocab.indicator_class.get(indicator) == classes[concept]]
        else:
            raise DataError(f"cannot recompute the average {concept}: it has no narrower averages "
                            f"and no indicator class in graph.importer.averages")
        if not values:
            raise DataError(f"cannot recompute the average {concept} for {row.iso3}: "
                            f"no scores to average")
        result[concept] = sum(values, Fraction(0)) / len(values)
        return result[concept]

    for concept in averages:
        mean(concept)
    return result


def check_averages(table: EditionTable, vocab: Vocabulary) -> tuple[dict, list[AverageMismatch]]:
    """Recompute every average of every country of ``table`` and compare with the printed ones.

    Returns
    -------
    (dict, list of AverageMismatch)
        Country place -> {average -> exact mean}, and the printed averages that differ from
        the exact mean by more than :data:`ROUNDING`, in sheet order.
    """
    averages = sorted(c for c in table.columns if vocab.is_average(c))
    exact: dict = {}
    mismatches: list[AverageMismatch] = []
    for row in table.rows:
        means = recompute(row, averages, vocab)
        exact[row.place] = means
        for concept in averages:
            printed = row.printed[concept]
            if abs(Fraction(printed) - means[concept]) > ROUNDING:
                mismatches.append(AverageMismatch(table.cell(row, concept), row.iso3, table.year,
                                                  vocab.label(concept), printed, means[concept]))
    return exact, mismatches
