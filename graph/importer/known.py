"""Score observations that other data files state already, so an import neither repeats nor
contradicts them.

An observation is identified by its Data Cube dimensions: country (``tkg:refArea``),
indicator, edition and, for ranks, scope. The IRI rule of ``data/README.md`` gives equal
dimensions equal IRIs, but matching on dimensions also catches a file that minted its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from graph.errors import DataError

__all__ = ["Known", "ObservationKey", "read_known"]

#: (country, indicator, edition, rank scope or None) as rdflib terms.
ObservationKey = tuple


@dataclass(frozen=True)
class Known:
    """One observation stated in an existing file."""

    #: Its IRI there.
    iri: str
    #: ``tkg:score`` as a Decimal, or ``tkg:rank`` as an int.
    value: Decimal | int
    #: The file that states it.
    path: Path


def read_known(paths: Iterable[str | Path]) -> dict[ObservationKey, Known]:
    """Collect the score and rank observations of ``paths`` by their dimensions.

    Raises
    ------
    graph.errors.DataError
        If a path is missing, a file does not parse (:class:`graph.errors.ParseError`), or
        one observation has two different values across the files.

    Examples
    --------
    >>> read_known([])
    {}
    """
    from graph.namespaces import TKG
    from graph.sources import collect, parse

    found: dict[ObservationKey, Known] = {}
    for source in collect(list(paths), with_ontology=False):
        graph = parse(source)
        for obs in set(graph.subjects(TKG.refArea, None)):
            dims = (graph.value(obs, TKG.refArea), graph.value(obs, TKG.indicator),
                    graph.value(obs, TKG.edition), graph.value(obs, TKG.rankScope))
            for prop in (TKG.score, TKG.rank):
                values = {o.toPython() for o in graph.objects(obs, prop)}
                for value in values:
                    value = Decimal(str(value)) if prop == TKG.score else int(value)
                    earlier = found.get(dims)
                    if earlier is not None and earlier.value != value:
                        raise DataError(f"{source.path}: {obs} has {value}, but "
                                        f"{earlier.path} states {earlier.value} for the same "
                                        f"country, indicator and edition")
                    found[dims] = Known(str(obs), value, source.path)
    return found
