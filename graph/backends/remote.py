"""A SPARQL 1.1 server as backend: Virtuoso, Oxigraph server, Fuseki, GraphDB or any other.

Queries go over the SPARQL protocol, uploads over the Graph Store Protocol, SPARQL Update or
Virtuoso's bulk loader. The backend absorbs the quirks measured on real servers
(notes/baselines.md, Virtuoso 7.2):

- Virtuoso never answers a query POSTed as ``application/sparql-query`` (rdflib's default):
  queries go by GET, or as a URL-encoded form POST when the URL would be long.
- Results are asked for as JSON (Virtuoso's XML does not always parse in rdflib) and parsed
  by pyoxigraph, which also reads Virtuoso's non-standard ``typed-literal``.
- Virtuoso's default graph is the union of every graph on the server, its system graphs
  included, and a bag (a triple stated in two graphs is counted twice). The knowledge graph
  is therefore uploaded into one named graph, :data:`KG_GRAPH`, and queries name it with
  the protocol's ``default-graph-uri``, so every server sees the same set of triples.
- Virtuoso fails on ``p+`` when the start is bound by ``VALUES`` ("transitive start not
  given"), leaves the start out when a cycle leads back to it, and runs out of "transitive
  temp memory" on cyclic data at scale. A triple ``s p+ ?o`` is sent as one step of ``p``
  followed by Virtuoso's own transitive sub-select (``OPTION (TRANSITIVE, t_distinct)``);
  any other ``p+`` as the equivalent ``(p/p*)``. Traversal in :mod:`graph.traverse` does
  not depend on property paths at all.
- Virtuoso answers a query that runs out of time with HTTP 200 and the rows it had found
  so far, often none, flagged only by an ``X-SQL-State`` header ("anytime" results). Such an
  answer is an error here, and every query carries the backend's timeout to Virtuoso, so the
  server stops when the client stops waiting.
- Virtuoso rejects some UNIONs whose branches hold both BIND and FILTER ("SP031 ...
  sparp_gp_deprecate"); such a query is retried with each branch wrapped in a sub-select.
- Uploads are split into requests without splitting blank-node structures: a blank node
  travels in the same request as the one triple that refers to it, so rdf:Lists (routes)
  and qualified involvements survive batching with their blank nodes intact; only a blank
  node referred to from several triples is skolemised (given a ``/.well-known/genid/`` IRI).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.backends.base import Result
from graph.backends.values import bind_values, tokens
from graph.errors import BackendError, DataError, QueryError, UnknownName

__all__ = ["KG_GRAPH", "META_GRAPH", "METHODS", "SERVERS", "SKOLEM", "RemoteBackend", "endpoints"]

#: The named graph the knowledge graph is uploaded into (all sources and derived triples).
KG_GRAPH = "https://w3id.org/tkg/graph/kg"
#: The named graph that records which content :data:`KG_GRAPH` holds (see ``load_snapshot``).
META_GRAPH = "https://w3id.org/tkg/graph/kg-meta"
_IDENTIFIER = "http://purl.org/dc/terms/identifier"
#: Prefix of the IRIs given to blank nodes that must be skolemised for an upload.
SKOLEM = "https://w3id.org/tkg/.well-known/genid/"
#: Upload methods: Graph Store Protocol, SPARQL Update ``INSERT DATA``, Virtuoso's loader.
METHODS = ("auto", "gsp", "update", "virtuoso-bulk")

#: Seconds Virtuoso's own query budget stays under ours (it checks the budget every ~2 s).
_VIRTUOSO_GRACE = 3.0
_JSON = "application/sparql-results+json"
_VIRTUOSO_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
_GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"
#: Longest URL sent as GET; longer queries go as a URL-encoded form POST.
_MAX_GET = 2000


@dataclass(frozen=True)
class _Server:
    """Where a kind of server keeps its services, relative to the query endpoint."""

    #: Name shown to users.
    name: str
    #: Substring of the HTTP ``Server`` header that identifies it (lower case).
    header: str
    #: Query-parameter name of the graph in Graph Store Protocol requests.
    graph_param: str = "graph"


#: Servers with known layouts; anything else is "generic" (SPARQL Update for uploads).
SERVERS: dict[str, _Server] = {
    "oxigraph": _Server("oxigraph", "oxigraph"),
    "virtuoso": _Server("virtuoso", "virtuoso", "graph-uri"),
    "fuseki": _Server("fuseki", "fuseki"),
    "graphdb": _Server("graphdb", "graphdb"),
    "generic": _Server("generic", "\0"),
}


def endpoints(url: str, server: str) -> dict[str, str | None]:
    """The query, update and Graph Store endpoints of a ``server`` reached at ``url``.

    ``url`` may be the query endpoint or, for Oxigraph and Virtuoso, the server's root.

    Examples
    --------
    >>> endpoints("http://localhost:7878", "oxigraph")["store"]
    'http://localhost:7878/store'
    >>> endpoints("http://localhost:8890/sparql", "virtuoso")["store"]
    'http://localhost:8890/sparql-graph-crud'
    >>> endpoints("http://localhost:3030/ds/sparql", "fuseki")["update"]
    'http://localhost:3030/ds/update'
    >>> endpoints("http://localhost:7200/repositories/tkg", "graphdb")["update"]
    'http://localhost:7200/repositories/tkg/statements'
    """
    parts = urllib.parse.urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    if server == "oxigraph":
        base = root + re.sub(r"/(query|update|store)$", "", path)
        return {"query": base + "/query", "update": base + "/update", "store": base + "/store"}
    if server == "virtuoso":
        query = url if path else root + "/sparql"
        return {"query": query, "update": query, "store": root + "/sparql-graph-crud"}
    if server == "fuseki":
        base = root + re.sub(r"/(query|sparql|update|data|get)$", "", path)
        return {"query": url, "update": base + "/update", "store": base + "/data"}
    if server == "graphdb":
        base = root + re.sub(r"/(statements|rdf-graphs/service)$", "", path)
        return {"query": base, "update": base + "/statements",
                "store": base + "/rdf-graphs/service"}
    return {"query": url, "update": url, "store": None}


class RemoteBackend:
    """A knowledge graph held by a SPARQL server.

    Parameters
    ----------
    endpoint : str
        The query endpoint (``http://host:8890/sparql``), or the server's root for
        Oxigraph (``http://host:7878``) and Virtuoso.
    update_endpoint, graph_store : str, optional
        SPARQL Update and Graph Store Protocol endpoints; found from the server's kind
        when omitted.
    auth : (str, str), optional
        User and password (HTTP basic or digest).
    timeout : float
        Seconds to wait for a query's answer (uploads wait ten times longer).
    batch_size : int
        Triples per Graph Store Protocol request or bulk-loader file; ``INSERT DATA``
        requests carry a fifth of it (at most 20,000 triples, 1,000 on Virtuoso, whose
        SPARQL compiler runs out of memory on larger updates).
    graph : str, optional
        The named graph that holds the knowledge graph. ``"auto"`` (default): :data:`KG_GRAPH`
        if the server has it (or once something is uploaded), else the server's default
        graph. ``""`` always means the server's default graph.
    server : str, optional
        ``"oxigraph"``, ``"virtuoso"``, ``"fuseki"``, ``"graphdb"`` or ``"generic"``;
        detected from the HTTP ``Server`` header when omitted.
    isql : str, optional
        ``host:port`` of Virtuoso's SQL port, for the bulk loader (``method="virtuoso-bulk"``).
    load_dir : str or Path, optional
        A folder the Virtuoso server may read (listed in its ``DirsAllowed``), for the bulk
        loader; the server must see it under the same path.
    isql_auth : (str, str)
        Virtuoso SQL user and password for the bulk loader (``("dba", "dba")`` by default).

    Notes
    -----
    A query never waits longer than ``timeout``; the server's own limits still apply (Virtuoso
    caps result rows at its ``ResultSetMaxRows``, 10,000 in the packaged configuration, and
    cuts queries at ``MaxQueryExecutionTime``; raise both for large graphs). SPARQL Update
    text is passed through as it is: an update that names no graph writes into the server's
    default graph, which the scoped queries do not read.
    """

    name = "remote"
    binds_many = False

    def __init__(self, endpoint: str, update_endpoint: str | None = None,
                 auth: tuple[str, str] | None = None, timeout: float = 60.0,
                 batch_size: int = 100_000, *, graph_store: str | None = None,
                 graph: str | None = "auto", server: str | None = None,
                 isql: str | None = None, load_dir: str | Path | None = None,
                 isql_auth: tuple[str, str] = ("dba", "dba")) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise BackendError(f"{endpoint!r} is not an http(s) URL of a SPARQL endpoint")
        if server is not None and server not in SERVERS:
            raise UnknownName("server", server, list(SERVERS))
        #: The URL as given.
        self.url = endpoint
        #: Seconds to wait for a query.
        self.timeout = timeout
        #: Triples per upload request.
        self.batch_size = batch_size
        #: Virtuoso bulk-loader settings.
        self.isql, self.load_dir, self.isql_auth = isql, load_dir, isql_auth
        self._given = {"update": update_endpoint, "store": graph_store}
        self._server = server
        self._urls: dict[str, str | None] | None = None
        self._graph = graph
        self._loaded = False
        self._dataset = None
        self._opener = _opener(endpoint, auth)
        self._auth = auth

    # -- endpoints -----------------------------------------------------------------------

    @property
    def server(self) -> str:
        """The kind of server (see :data:`SERVERS`), detected on first use."""
        if self._server is None:
            self._server = self._detect()
        return self._server

    def _endpoints(self) -> dict[str, str | None]:
        if self._urls is None:
            urls = endpoints(self.url, self.server)
            urls.update({k: v for k, v in self._given.items() if v})
            self._urls = urls
        return self._urls

    @property
    def endpoint(self) -> str:
        """The query endpoint."""
        return self._endpoints()["query"]

    @property
    def update_endpoint(self) -> str:
        """The SPARQL Update endpoint."""
        return self._endpoints()["update"]

    @property
    def graph_store(self) -> str | None:
        """The Graph Store Protocol endpoint, if the server has one."""
        return self._endpoints()["store"]

    @property
    def graph(self) -> str:
        """The named graph queries read (``""`` for the server's default graph)."""
        if self._graph == "auto":
            self._graph = KG_GRAPH if self._has_graph(KG_GRAPH) else ""
        return self._graph or ""

    def _detect(self) -> str:
        query = urllib.parse.urlencode({"query": "ASK {}"})
        request = urllib.request.Request(f"{self.url}?{query}", headers={"Accept": _JSON})
        try:
            with self._opener.open(request, timeout=min(self.timeout, 30)) as response:
                header = response.headers.get("Server", "")
        except urllib.error.HTTPError as exc:
            header = exc.headers.get("Server", "") if exc.headers else ""
        except (urllib.error.URLError, OSError) as exc:
            raise BackendError(f"{self.url}: cannot reach the SPARQL server "
                               f"({getattr(exc, 'reason', exc)})") from None
        header = header.lower()
        for name, server in SERVERS.items():
            if server.header in header:
                return name
        if "/repositories/" in self.url:
            return "graphdb"
        return "generic"

    def _has_graph(self, iri: str) -> bool:
        text = f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        body, _ = self._request(self.endpoint, {"query": text}, _JSON, scoped=False)
        import pyoxigraph as ox

        return bool(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))

    # -- HTTP ----------------------------------------------------------------------------

    def _request(self, url: str, params: Mapping[str, str], accept: str, *, scoped: bool = True,
                 timeout: float | None = None, form: bool = False) -> tuple[bytes, str]:
        pairs = list(params.items())
        if scoped and self.graph:
            pairs.append(("default-graph-uri", self.graph))
        if "query" in params and self._server == "virtuoso":
            # Virtuoso then stops when we stop waiting instead of running on. It checks the
            # budget about every 2 s, so it gets 3 s less, to answer before we give up.
            budget = max(1.0, (timeout or self.timeout) - _VIRTUOSO_GRACE)
            pairs.append(("timeout", str(round(budget * 1000))))
        encoded = urllib.parse.urlencode(pairs)
        if form or len(url) + len(encoded) + 1 > _MAX_GET:
            request = urllib.request.Request(
                url, data=encoded.encode(), method="POST",
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        else:
            request = urllib.request.Request(f"{url}?{encoded}", headers={"Accept": accept})
        return self._send(request, timeout or self.timeout)

    def _send(self, request: urllib.request.Request, timeout: float) -> tuple[bytes, str]:
        try:
            with self._opener.open(request, timeout=timeout) as response:
                body = response.read()
                state = response.headers.get("X-SQL-State")
                if state:  # Virtuoso's "anytime" answer: whatever it had when time ran out
                    message = response.headers.get("X-SQL-Message", "")
                    message = " ".join(message.split("Activity:")[0].split())[:200]
                    raise QueryError(
                        f"{request.full_url.split('?')[0]}: the server returned an incomplete "
                        f"answer ({state}: {message}); give it more time (timeout, or "
                        f"Virtuoso's MaxQueryExecutionTime)")
                return body, response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()
            raise _ServerError(exc.code, detail) from None
        except TimeoutError:
            raise BackendError(f"{request.full_url.split('?')[0]}: no answer within "
                               f"{timeout:g} s") from None
        except (urllib.error.URLError, OSError) as exc:
            raise BackendError(f"{request.full_url.split('?')[0]}: cannot reach the SPARQL "
                               f"server ({getattr(exc, 'reason', exc)})") from None

    # -- queries -------------------------------------------------------------------------

    def execute(self, sparql: str, bindings: Mapping[str, Any] | None = None,
                prefixes: Mapping[str, str] | None = None) -> Result:
        import pyoxigraph as ox

        from graph.backends.oxigraph import Triples, wrap_native

        text = _with_prefixes(bind_values(sparql, bindings), prefixes)
        kind = query_form(text)
        accept = _GRAPH_ACCEPT if kind in ("CONSTRUCT", "DESCRIBE") else _JSON
        attempts = [text]
        if self.server == "virtuoso":
            # Equivalent forms for the compiler errors (SP031) of Virtuoso 7.2: parameters
            # bound again at the end of the WHERE group (a no-op join, since the start already
            # binds them in every row), and UNION branches as sub-selects.
            at_end = _with_prefixes(values_at_end(bind_values(sparql, bindings), bindings),
                                    prefixes)
            attempts = [plus_paths(transitive_subqueries(t))
                        for t in (text, at_end, wrap_union_branches(text),
                                  wrap_union_branches(at_end))]
            attempts = list(dict.fromkeys(attempts))
        for number, attempt in enumerate(attempts):
            try:
                body, ctype = self._request(self.endpoint, {"query": attempt}, accept)
                break
            except _ServerError as exc:
                if "SP031" not in exc.detail or number == len(attempts) - 1:
                    raise QueryError(f"{self.endpoint}: {exc}") from None
        try:
            if accept == _JSON:
                if b"nodeID://" in body:  # Virtuoso's blank node ids are not valid ids
                    body = _VIRTUOSO_BNODE.sub(rb"\1", body)
                native = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            else:
                native = Triples(t.triple for t in ox.parse(body, format=_rdf_format(ctype)))
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"{self.endpoint}: cannot read the answer ({exc})") from None
        return wrap_native(native)

    def update(self, sparql: str) -> None:
        """Run SPARQL Update text on the server, as it is."""
        try:
            self._request(self.update_endpoint, {"update": sparql}, "*/*", scoped=False,
                          form=True, timeout=self.timeout * 10)
        except _ServerError as exc:
            raise BackendError(f"{self.update_endpoint}: update failed: {exc}") from None

    # -- uploads -------------------------------------------------------------------------

    def load(self, path: Path, fmt: str, graph: str | None = None) -> None:
        """Upload one RDF file into the knowledge graph's named graph.

        The first upload through a backend replaces what that graph held; later ones add.
        ``graph`` (the file's own named graph) is not kept: everything lands in
        :attr:`graph`, which is :data:`KG_GRAPH` unless set otherwise.
        """
        from graph.backends.oxigraph import OxigraphBackend

        local = OxigraphBackend()
        local.load(Path(path), fmt, graph or "urn:x-tkg:upload")
        self.upload(local.store, replace=not self._loaded)

    def load_snapshot(self, path: Path, key: str) -> None:
        """Upload a cached graph unless the server already holds the one with this ``key``.

        The key (the content hash of the input files, see :func:`graph.load`) is recorded
        next to the graph, in :data:`META_GRAPH`, after each upload.
        """
        if self._graph in ("auto", None):
            self._graph = KG_GRAPH
        if self.snapshot_key() == key:
            self._loaded = True
            return
        self.load(path, "nquads")
        self.mark(key)

    def snapshot_key(self) -> str | None:
        """The content key recorded for :attr:`graph` by the last upload, if any."""
        import pyoxigraph as ox

        text = (f"SELECT ?key WHERE {{ GRAPH <{META_GRAPH}> "
                f"{{ <{self.graph or KG_GRAPH}> <{_IDENTIFIER}> ?key }} }}")
        try:  # not scoped to the knowledge graph: the key lives in a graph of its own
            body, _ = self._request(self.endpoint, {"query": text}, _JSON, scoped=False)
        except _ServerError:
            return None
        rows = list(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
        return rows[0][0].value if rows else None

    def mark(self, key: str) -> None:
        """Record ``key`` as the content of :attr:`graph` (see :meth:`load_snapshot`)."""
        import pyoxigraph as ox

        graph = self.graph or KG_GRAPH
        self.update(f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{graph}> <{_IDENTIFIER}> ?old }} }}")
        self.update(f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{graph}> <{_IDENTIFIER}> "
                    f"{ox.Literal(key)} }} }}")

    def upload(self, store, *, method: str = "auto", replace: bool = True,
               progress: Callable[[str], None] | None = None) -> dict[str, Any]:
        """Send every triple of a pyoxigraph ``store`` (all graphs merged) to the server.

        Parameters
        ----------
        store : pyoxigraph.Store
            The triples to send; named graphs are merged into :attr:`graph`.
        method : {"auto", "gsp", "update", "virtuoso-bulk"}
            ``"auto"`` uses the bulk loader on Virtuoso when ``isql`` and ``load_dir`` are
            set, the Graph Store Protocol where the server has it, else ``INSERT DATA``.
        replace : bool
            Empty the target graph first.

        Returns
        -------
        dict
            ``triples`` sent, ``requests`` made, ``method`` used, ``graph``, ``seconds``.

        Raises
        ------
        graph.errors.BackendError
            If the server refuses a request (the message quotes it) or cannot be reached.
        """
        if method not in METHODS:
            raise UnknownName("upload method", method, list(METHODS))
        if self._graph in ("auto", None):
            self._graph = KG_GRAPH
        if method == "auto":
            if self.server == "virtuoso" and self.isql and self.load_dir:
                method = "virtuoso-bulk"
            elif self.graph_store:
                method = "gsp"
            else:
                method = "update"
        if method == "gsp" and not self.graph_store:
            raise BackendError(f"{self.url}: no Graph Store Protocol endpoint known for this "
                               f"{self.server} server; give graph_store= or use method='update'")
        if method == "virtuoso-bulk" and not (self.isql and self.load_dir):
            raise BackendError("the Virtuoso bulk loader needs isql='host:port' and load_dir= "
                               "(a folder in the server's DirsAllowed)")
        began = time.perf_counter()
        size = self.batch_size
        if method == "update":
            # Servers parse update text slowly; Virtuoso's compiler gives up above ~2,000 triples.
            size = max(1, min(size // 5, 1_000 if self.server == "virtuoso" else 20_000))
        sent = requests = 0
        if method == "virtuoso-bulk":
            sent, requests = self._bulk_load(store, replace, progress)
        else:
            if replace and method == "update":
                self.update(f"DROP SILENT GRAPH <{self.graph}>" if self.graph
                            else "DROP SILENT DEFAULT")
            first = replace
            for chunk in triple_chunks(store, size):
                if method == "gsp":
                    self._put(chunk, replace=first)
                else:
                    self._insert(chunk)
                first = False
                sent += len(chunk)
                requests += 1
                if progress:
                    progress(f"sent {sent:,} triples")
            if first:  # nothing was sent, but the graph must still be emptied
                self.update(f"DROP SILENT GRAPH <{self.graph}>" if self.graph
                            else "DROP SILENT DEFAULT")
        self._loaded = True
        return {"triples": sent, "requests": requests, "method": method,
                "graph": self.graph, "server": self.server,
                "seconds": round(time.perf_counter() - began, 3)}

    def _put(self, chunk: list, replace: bool) -> None:
        import pyoxigraph as ox

        store = self.graph_store
        name = SERVERS[self.server].graph_param
        query = urllib.parse.urlencode({name: self.graph}) if self.graph else "default"
        body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES)
        request = urllib.request.Request(
            f"{store}?{query}", data=body, method="PUT" if replace else "POST",
            headers={"Content-Type": "application/n-triples"})
        try:
            self._send(request, self.timeout * 10)
        except _ServerError as exc:
            raise BackendError(f"{store}: upload refused: {exc}") from None

    def _insert(self, chunk: list) -> None:
        import pyoxigraph as ox

        body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        target = f"GRAPH <{self.graph}> {{ {body} }}" if self.graph else body
        if self.server == "virtuoso":
            # Virtuoso refuses blank nodes in INSERT DATA; a template with an empty WHERE
            # inserts the same triples once, blank nodes included.
            self.update(f"INSERT {{ {target} }} WHERE {{ }}")
        else:
            self.update(f"INSERT DATA {{ {target} }}")

    def _bulk_load(self, store, replace: bool, progress) -> tuple[int, int]:
        """Write N-Triples files into ``load_dir`` and run Virtuoso's loader over isql."""
        import pyoxigraph as ox

        folder = Path(self.load_dir).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"tkg-push-{os.getpid()}-{int(time.time() * 1000)}"
        files, sent = [], 0
        try:
            for number, chunk in enumerate(triple_chunks(store, self.batch_size)):
                path = folder / f"{stem}-{number:05d}.nt"
                path.write_bytes(ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES))
                files.append(path)
                sent += len(chunk)
            if progress:
                progress(f"bulk-loading {sent:,} triples")
            graph = self.graph or KG_GRAPH
            statements = []
            if replace:
                statements.append(f"SPARQL CLEAR GRAPH <{graph}>;")
            statements += [
                f"ld_dir('{folder}', '{stem}-*.nt', '{graph}');",
                "rdf_loader_run();",
                "checkpoint;",
                f"SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_file LIKE "
                f"'{folder}/{stem}-%' AND ll_error IS NOT NULL;",
                f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE '{folder}/{stem}-%';",
            ]
            output = self._isql(" ".join(statements))
            if ".nt" in output.split("ll_error", 1)[-1]:
                raise BackendError(f"Virtuoso bulk loader reported errors: {output[-800:]}")
        finally:
            for path in files:
                path.unlink(missing_ok=True)
        return sent, 1

    def _isql(self, statements: str) -> str:
        command = os.environ.get("TKG_ISQL", "isql-vt")
        user, password = self.isql_auth
        try:
            done = subprocess.run([command, self.isql, user, password, f"exec={statements}"],
                                  capture_output=True, text=True, timeout=self.timeout * 60)
        except FileNotFoundError:
            raise BackendError(f"{command}: Virtuoso's isql client is not installed "
                               f"(set TKG_ISQL to its path)") from None
        except subprocess.TimeoutExpired:
            raise BackendError(f"{command} {self.isql}: no answer within "
                               f"{self.timeout * 60:g} s") from None
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise BackendError(f"{command} {self.isql}: {output.strip()[-800:]}")
        return output

    # -- reading back --------------------------------------------------------------------

    def dump(self, path: Path, fmt: str = "nquads") -> None:
        """Write the knowledge graph's triples (into :attr:`graph` for N-Quads and TriG)."""
        import pyoxigraph as ox

        from graph.backends.oxigraph import RDF_FORMATS

        if fmt not in RDF_FORMATS:
            raise DataError(f"{path}: cannot write format {fmt!r}")
        body, ctype = None, "application/n-triples"
        if self.graph_store:
            name = SERVERS[self.server].graph_param
            query = urllib.parse.urlencode({name: self.graph}) if self.graph else "default"
            request = urllib.request.Request(f"{self.graph_store}?{query}",
                                             headers={"Accept": _GRAPH_ACCEPT})
            try:
                body, ctype = self._send(request, self.timeout * 10)
            except _ServerError:
                body = None
        if body is None:
            body, ctype = self._request(self.endpoint,
                                        {"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
                                        _GRAPH_ACCEPT, timeout=self.timeout * 10)
        triples = (q.triple for q in ox.parse(body, format=_rdf_format(ctype)))
        if fmt in ("nquads", "trig"):
            graph = ox.NamedNode(self.graph) if self.graph else ox.DefaultGraph()
            items = (ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        else:
            items = triples
        ox.serialize(items, str(path), format=RDF_FORMATS[fmt])

    def __len__(self) -> int:
        rows = self.execute("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows()
        return int(next(iter(rows))[0])

    @property
    def dataset(self):
        """An rdflib ``Dataset`` over the server, for code that wants the rdflib API."""
        if self._dataset is None:
            from rdflib import Dataset
            from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

            from graph.namespaces import bind

            store = SPARQLUpdateStore(query_endpoint=self.endpoint,
                                      update_endpoint=self.update_endpoint,
                                      method="POST_FORM", returnFormat="json",
                                      auth=self._auth, timeout=self.timeout, autocommit=True)
            self._dataset = bind(Dataset(store=store, default_union=True))
        return self._dataset

    def close(self) -> None:
        if self._dataset is not None:
            self._dataset.close()
            self._dataset = None

    def __repr__(self) -> str:
        return f"<RemoteBackend {self.url} graph={self._graph!r}>"


class _ServerError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        self.status, self.detail = status, detail
        first = " ".join(detail.split("\n\n", 1)[0].split())[:400]
        super().__init__(f"HTTP {status}: {first}" if first else f"HTTP {status}")


def _opener(url: str, auth: tuple[str, str] | None):
    handlers: list = []
    if auth:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, *auth)
        handlers = [urllib.request.HTTPBasicAuthHandler(manager),
                    urllib.request.HTTPDigestAuthHandler(manager)]
    return urllib.request.build_opener(*handlers)


def _rdf_format(content_type: str):
    import pyoxigraph as ox

    media = content_type.split(";")[0].strip().lower()
    return {
        "text/turtle": ox.RdfFormat.TURTLE,
        "application/x-turtle": ox.RdfFormat.TURTLE,
        "application/rdf+xml": ox.RdfFormat.RDF_XML,
        "application/ld+json": ox.RdfFormat.JSON_LD,
        "application/n-quads": ox.RdfFormat.N_QUADS,
        "application/trig": ox.RdfFormat.TRIG,
    }.get(media, ox.RdfFormat.N_TRIPLES)


# -- query text ----------------------------------------------------------------------------

_DECLARATION = re.compile(r"\s*(?:#[^\n]*\n|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>|"
                          r"define\s+\S+\s+\S+)", re.IGNORECASE)


def query_form(sparql: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the form of a query.

    Examples
    --------
    >>> query_form("PREFIX ex: <http://example.org/>\\n# comment\\nconstruct { ?s ?p ?o } {}")
    'CONSTRUCT'
    """
    position = 0
    while True:
        match = _DECLARATION.match(sparql, position)
        if not match:
            break
        position = match.end()
    word = re.match(r"\s*([A-Za-z]+)", sparql[position:])
    form = word.group(1).upper() if word else ""
    return form if form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") else "SELECT"


def _with_prefixes(sparql: str, prefixes: Mapping[str, str] | None) -> str:
    if not prefixes:
        return sparql
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w.-]*):", sparql, re.IGNORECASE)}
    prolog = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items()
                     if name.lower() not in declared)
    return prolog + sparql


_PNAME_PLUS = re.compile(r"(?<![\w.:?$-])((?:[A-Za-z][\w.-]*)?:[\w-]+(?:\.[\w-]+)*)\+")


def plus_paths(sparql: str) -> str:
    """Rewrite ``p+`` (one IRI or prefixed name) to the equivalent ``(p/p*)``.

    Virtuoso evaluates ``p+`` wrongly in two ways (see the module notes); ``(p/p*)`` means
    the same and it evaluates it correctly.

    Examples
    --------
    >>> plus_paths("SELECT ?x WHERE { ?s tkg:flowsTo+ ?x . FILTER (?n + 1 > 2) }")
    'SELECT ?x WHERE { ?s (tkg:flowsTo/tkg:flowsTo*) ?x . FILTER (?n + 1 > 2) }'
    >>> plus_paths('SELECT * { ?s <http://e.org/p>+ ?o FILTER (?o != "a:b+") }')
    'SELECT * { ?s (<http://e.org/p>/<http://e.org/p>*) ?o FILTER (?o != "a:b+") }'
    """
    out: list[str] = []
    skip_plus = False
    spans = list(tokens(sparql))
    for index, (start, end, kind) in enumerate(spans):
        piece = sparql[start:end]
        if skip_plus:  # the "+" after an IRI, already rewritten
            piece, skip_plus = piece[1:], False
        if kind == "iri":
            following = spans[index + 1] if index + 1 < len(spans) else None
            if following and following[2] == "code" and sparql.startswith("+", following[0]):
                out.append(f"({piece}/{piece}*)")
                skip_plus = True
                continue
        elif kind == "code":
            piece = _PNAME_PLUS.sub(lambda m: f"({m.group(1)}/{m.group(1)}*)", piece)
        out.append(piece)
    return "".join(out)


_TERM = r"\?\w+|\$\w+|<[^<>\s]*>|(?:[A-Za-z][\w.-]*)?:[\w-]+"
_PLUS_TRIPLE = re.compile(
    rf"(?P<s>{_TERM})\s+(?P<p><[^<>\s]*>|(?:[A-Za-z][\w.-]*)?:[\w-]+)\+\s+"
    r"(?P<o>[?$]\w+)(?P<end>\s*(?:\.|(?=\})))")


def transitive_subqueries(sparql: str) -> str:
    """Rewrite each triple ``s p+ ?o`` into Virtuoso's transitive sub-select.

    Virtuoso runs out of "transitive temp memory" on ``p+`` and ``p*`` over cyclic data of
    some size (legs between places at a million triples); its own ``OPTION (TRANSITIVE,
    t_distinct)`` on a sub-select visits each node once. One step of ``p`` is taken first so
    that the start is bound, as Virtuoso requires, and counts as reached only through a cycle,
    as ``p+`` means. Only whole triples with a variable object are rewritten; other ``p+``
    are left to :func:`plus_paths`.

    Examples
    --------
    >>> print(transitive_subqueries("SELECT ?o WHERE { ?s tkg:flowsTo+ ?o }"))
    SELECT ?o WHERE { ?s tkg:flowsTo ?_tkgstep1 . { SELECT ?_tkgstep1 ?o WHERE { ?_tkgstep1 \
tkg:flowsTo ?o } } OPTION (TRANSITIVE, t_in(?_tkgstep1), t_out(?o), t_distinct, t_min(0)) . }
    """
    code = [False] * len(sparql)
    for start, end, kind in tokens(sparql):
        if kind in ("code", "iri"):
            code[start:end] = [True] * (end - start)
    out, last, number = [], 0, 0
    for match in _PLUS_TRIPLE.finditer(sparql):
        before = sparql[:match.start()].rstrip()
        if not all(code[match.start():match.end()]) or (before and before[-1] not in "{.}"):
            continue
        number += 1
        step = f"?_tkgstep{number}"
        s, p, o = match["s"], match["p"], match["o"]
        out.append(sparql[last:match.start()])
        spacing = match["end"].replace(".", "", 1)
        out.append(f"{s} {p} {step} . {{ SELECT {step} {o} WHERE {{ {step} {p} {o} }} }} "
                   f"OPTION (TRANSITIVE, t_in({step}), t_out({o}), t_distinct, t_min(0)) ."
                   f"{spacing}")
        last = match.end()
    out.append(sparql[last:])
    return "".join(out)


def values_at_end(sparql: str, bindings: Mapping[str, Any] | None) -> str:
    """Like :func:`graph.backends.values.bind_values`, with the VALUES block closing the WHERE.

    Alone, it answers differently from a VALUES block that opens the group when a parameter
    only occurs in an OPTIONAL (the OPTIONAL is then matched unrestricted). Applied to a query
    already bound at the start it changes nothing (every row already carries the values), and
    that is the form Virtuoso needs when a parameter meets an OPTIONAL
    ("ssg_print_rvr_fixed_val" errors).

    Examples
    --------
    >>> from graph.backends.base import IRI
    >>> values_at_end("SELECT * { ?s ?p ?o OPTIONAL { ?o ?q ?s } }", {"o": IRI("http://e.org/x")})
    'SELECT * { ?s ?p ?o OPTIONAL { ?o ?q ?s }  VALUES (?o) { (<http://e.org/x>) } }'
    """
    if not bindings:
        return sparql
    from graph.backends.values import to_oxigraph, values_block, where_brace

    block = values_block({name: str(to_oxigraph(value)) for name, value in bindings.items()})
    opened = where_brace(sparql)
    depth, closing = 0, None
    for start, end, kind in tokens(sparql):
        if kind != "code" or end <= opened:
            continue
        for offset in range(max(start, opened), end):
            char = sparql[offset]
            depth += char == "{"
            depth -= char == "}"
            if depth == 0 and char == "}":
                closing = offset
                break
        if closing is not None:
            break
    if closing is None:
        raise QueryError("cannot bind parameters: the WHERE group is not closed")
    return f"{sparql[:closing]} {block} {sparql[closing:]}"


def wrap_union_branches(sparql: str) -> str:
    """Wrap every group joined by ``UNION`` in ``{ SELECT * WHERE { ... } }``.

    Equivalent SPARQL that avoids Virtuoso's SP031 error on UNION branches with both BIND
    and FILTER.

    Examples
    --------
    >>> wrap_union_branches('SELECT * { { ?s a ?c } UNION { ?s ?p "}" } }')
    'SELECT * { { SELECT * WHERE { ?s a ?c } } UNION { SELECT * WHERE { ?s ?p "}" } } }'
    """
    pairs: dict[int, int] = {}
    opens: dict[int, int] = {}
    stack: list[int] = []
    unions: list[int] = []
    for start, end, kind in tokens(sparql):
        if kind != "code":
            continue
        for offset, char in enumerate(sparql[start:end]):
            position = start + offset
            if char == "{":
                stack.append(position)
            elif char == "}" and stack:
                opened = stack.pop()
                pairs[position] = opened
                opens[opened] = position
        for match in re.finditer(r"\bUNION\b", sparql[start:end], re.IGNORECASE):
            unions.append(start + match.start())
    groups: set[tuple[int, int]] = set()
    for union in unions:
        left = len(sparql[:union].rstrip()) - 1
        if left in pairs:
            groups.add((pairs[left], left))
        right = union + 5 + (len(sparql[union + 5:]) - len(sparql[union + 5:].lstrip()))
        if right in opens:
            groups.add((right, opens[right]))
    inserts: list[tuple[int, str]] = []
    for opened, closed in groups:
        inserts += [(opened, "{ SELECT * WHERE "), (closed + 1, " }")]
    text = sparql
    for position, piece in sorted(inserts, key=lambda item: item[0], reverse=True):
        text = text[:position] + piece + text[position:]
    return text


# -- splitting uploads ---------------------------------------------------------------------

_SINGLE_PARENT = """
SELECT ?b WHERE { ?x ?p ?b . FILTER (isBlank(?b)) } GROUP BY ?b HAVING (COUNT(*) = 1)
"""


def triple_chunks(store, size: int) -> Iterator[list]:
    """The distinct triples of ``store`` (graphs merged) in lists of about ``size``.

    A blank node referred to by exactly one triple is sent in the same list as that
    triple, with everything below it, so lists and qualified nodes keep their blank nodes;
    blank nodes referred to by several triples are skolemised; blank nodes nothing refers to
    travel with their own triples.
    """
    import pyoxigraph as ox

    single = {row[0] for row in store.query(_SINGLE_PARENT, use_default_graph_as_union=True)}
    everything = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
                             use_default_graph_as_union=True)
    emitted: set = set()
    chunk: list = []

    def term(node):
        if isinstance(node, ox.BlankNode) and node not in single:
            return ox.NamedNode(SKOLEM + node.value)
        return node

    def add(s, p, o) -> None:
        chunk.append(ox.Triple(term(s), p, term(o)))
        if isinstance(o, ox.BlankNode) and o in single and o not in emitted:
            emitted.add(o)
            for quad in store.quads_for_pattern(o, None, None, None):
                add(o, quad.predicate, quad.object)

    for s, p, o in everything:
        if isinstance(s, ox.BlankNode) and s in single:
            continue  # sent with the triple that refers to it
        add(s, p, o)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    # Blank nodes that only refer to each other in a cycle: one request for all of them.
    for b in single - emitted:
        emitted.add(b)
        for quad in store.quads_for_pattern(b, None, None, None):
            add(b, quad.predicate, quad.object)
    if chunk:
        yield chunk
