"""The kinds of entity the explorer has a page template for, and which kind an entity is."""

from __future__ import annotations

__all__ = ["KINDS", "kind_of"]

#: (kind, class whose instances are of that kind, heading of their group), in the order
#: search results and pages use. An entity of none of these classes is of kind "other".
KINDS: tuple[tuple[str, str, str], ...] = (
    ("actor", "tkg:Actor", "Actors"),
    ("place", "tkg:Place", "Places"),
    ("commodity", "tkg:Commodity", "Commodities"),
    ("claim", "tkg:Claim", "Flows, activities, relations and events"),
    ("document", "tkg:SourceDocument", "Documents"),
    ("passage", "tkg:Passage", "Passages"),
)
#: Heading of the entities of no kind above (concepts, indicators, grades...).
OTHER = ("other", "", "Other entities")


def kind_of(index, iri: str, classes=None) -> str:
    """The explorer kind of ``iri`` in an :class:`~graph.lookup.EntityIndex` ("other" if none).

    ``classes`` (the entity's asserted classes) decide for an entity the index does not
    hold (one without a name, such as a passage).

    Examples
    --------
    >>> kind_of(kg.index, "https://w3id.org/tkg/place/LBY")
    'place'
    """
    from graph.query import expand_iri

    entity = index.entities.get(str(iri))
    asserted = set(classes or ()) | (set(entity.types) if entity else set())
    ancestors = set().union(*(index.ancestors(str(c)) for c in asserted)) if asserted else set()
    for kind, cls, _ in KINDS:
        if str(expand_iri(cls)) in ancestors:
            return kind
    return OTHER[0]
