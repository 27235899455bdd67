"""A SPARQL 1.1 server as backend, through rdflib's SPARQLUpdateStore.

Absorbs the quirks measured on real servers (notes/baselines.md): queries go by GET (POST
hangs on Virtuoso) and ask for JSON results (its XML does not always parse in rdflib). Loading
sends skolemised triples in batches of ``INSERT DATA`` so that blank-node structures such as
rdf:Lists survive being split across requests.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graph.backends._rdflib import wrap_result
from graph.backends.values import bind_values
from graph.backends.base import Result
from graph.errors import BackendError, QueryError

__all__ = ["RemoteBackend"]


class RemoteBackend:
    """A remote SPARQL endpoint; ``update_endpoint`` defaults to the query endpoint."""

    name = "remote"

    def __init__(self, endpoint: str, update_endpoint: str | None = None,
                 auth: tuple[str, str] | None = None, timeout: float = 60.0,
                 batch_size: int = 5000) -> None:
        from rdflib import Dataset
        from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

        from graph.namespaces import bind

        #: Query endpoint URL.
        self.endpoint = endpoint
        #: Update endpoint URL.
        self.update_endpoint = update_endpoint or endpoint
        #: Triples per INSERT DATA request when loading.
        self.batch_size = batch_size
        store = SPARQLUpdateStore(
            query_endpoint=endpoint,
            update_endpoint=self.update_endpoint,
            method="GET",
            returnFormat="json",
            auth=auth,
            timeout=timeout,
            autocommit=True,
        )
        #: rdflib dataset over the remote store; the default graph is the server's.
        self.dataset = bind(Dataset(store=store, default_union=True))

    def load(self, path: Path, fmt: str, graph: str | None = None) -> None:
        from rdflib import Dataset, URIRef

        local = Dataset()
        if fmt in ("nquads", "trig"):
            local.parse(path, format=fmt)
        else:
            local.graph(URIRef(graph)).parse(path, format=fmt)
        self.add_quads(local)

    def add_quads(self, dataset) -> None:
        """Send every quad of an rdflib dataset, skolemised, in batches."""
        from rdflib import URIRef

        for context in dataset.graphs():
            triples = list(context.skolemize())
            name = context.identifier
            target = f"GRAPH <{name}> " if isinstance(name, URIRef) and \
                not str(name).startswith("urn:x-rdflib:default") else ""
            for start in range(0, len(triples), self.batch_size):
                chunk = triples[start:start + self.batch_size]
                body = "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in chunk)
                self.update(f"INSERT DATA {{ {target}{{ {body} }} }}" if target
                            else f"INSERT DATA {{ {body} }}")

    def update(self, sparql: str) -> None:
        try:
            self.dataset.update(sparql)
        except Exception as exc:
            raise BackendError(f"{self.update_endpoint}: update failed: {exc}") from None

    def execute(self, sparql: str, bindings: Mapping[str, Any] | None = None,
                prefixes: Mapping[str, str] | None = None) -> Result:
        try:
            # Bound at the start of WHERE, not by rdflib's trailing VALUES (which joins only
            # after projection); the terms are validated and escaped by pyoxigraph.
            native = self.dataset.query(bind_values(sparql, bindings),
                                        initNs=dict(prefixes or {}))
            # Fetch now so that network errors surface here, not while a caller iterates.
            return wrap_result(_materialised(native))
        except Exception as exc:
            raise QueryError(f"{self.endpoint}: {exc}") from None

    def dump(self, path: Path, fmt: str = "nquads") -> None:
        result = self.dataset.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        result.graph.serialize(destination=str(path), format="nt" if fmt == "nquads" else fmt)

    def __len__(self) -> int:
        result = self.dataset.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(result))[0])

    def close(self) -> None:
        self.dataset.close()


def _materialised(native):
    if native.type == "SELECT":
        native.bindings = list(native.bindings)
    return native
