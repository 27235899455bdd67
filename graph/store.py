"""The workspace store: one on-disk Oxigraph store per workspace, built incrementally and read by
every command without reloading.

The state folder of a workspace (``.tkg/``, see :mod:`graph.workspace`) holds:

- ``manifest.json``: what the published store was built from (each file's size, modification
  time, content hash, triple and claim counts) and which store folder is current;
- ``stores/<id>/``: Oxigraph stores; only the one the manifest names is read;
- ``build.lock``: held while a build runs, so builds never overlap.

Each source file is one named graph, the shortcut triples derived from it another
(``.../graph/derived/<file>``), and the default graph is the merge of them all: a set, as an RDF
merge is, and what every query reads. A build copies the current store (RocksDB hard-links its
immutable files, so this is cheap at any size), replaces the graphs of the files that changed,
and publishes the copy by rewriting the manifest atomically. Readers open the store the manifest
names read-only, so they see the old state or the new one, never half of one; a build that fails
(a syntax error, a shape violation) or is killed leaves the manifest, and so every answer, as it
was.

Before answering, :func:`open_store` compares the files' sizes and modification times with the
manifest (no hashing unless something differs), and rebuilds first or refuses: an answer is never
given silently from stale data.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.errors import BackendError, DataError, ParseError, TkgError
from graph.sources import SourceFile, derived_graph_name
from graph.workspace import Workspace

__all__ = ["MANIFEST", "Plan", "StaleStore", "build", "open_store", "plan", "read_manifest",
           "status"]

#: The file, in the state folder, naming the current store and what it was built from.
MANIFEST = "manifest.json"
#: Bump when the store's layout changes: older stores are rebuilt from scratch.
LAYOUT_VERSION = 1
#: A stale store is rebuilt automatically (``rebuild="auto"``) when at most this many bytes
#: of files need loading; past that, the user is asked to run ``tkg build``.
AUTO_REBUILD_BYTES = 50_000_000
#: N-Quads gathered before each bulk load into the store (bounds the build's memory).
BATCH_BYTES = 64_000_000

Progress = Callable[[str], None]
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class StaleStore(TkgError):
    """The store does not match the files and may not be rebuilt now (``--no-rebuild``)."""

    exit_code = 1


# -- what changed ---------------------------------------------------------------------------

def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _rules_key() -> str:
    """A hash of the derivation rules and the layout version: a change means a full rebuild."""
    from graph.cache import RULES_VERSION
    from graph.load import materialise_rules

    hasher = hashlib.sha256(f"{LAYOUT_VERSION}:{RULES_VERSION}".encode())
    for rule in materialise_rules():
        hasher.update(rule.name.encode() + b"\0" + rule.read_bytes())
    return hasher.hexdigest()


def read_manifest(ws: Workspace) -> dict[str, Any] | None:
    """The manifest of ``ws``'s published store, or ``None`` if it has none (or it is gone)."""
    from graph.cache import read_json

    manifest = read_json(ws.state / MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("layout") != LAYOUT_VERSION:
        return None
    if not (ws.state / manifest.get("store", "")).is_dir():
        return None
    return manifest


@dataclass
class Plan:
    """How the files of a workspace differ from what its store was built from."""

    #: Every file of the knowledge base now, ontology first.
    sources: list[SourceFile]
    #: Files whose content is what the store holds.
    unchanged: list[SourceFile] = field(default_factory=list)
    #: Files whose content differs from what the store holds.
    changed: list[SourceFile] = field(default_factory=list)
    #: Files the store does not hold yet.
    new: list[SourceFile] = field(default_factory=list)
    #: Manifest records of files the store holds that are gone.
    removed: list[dict[str, Any]] = field(default_factory=list)
    #: Files with a new modification time but the same content (nothing to reload).
    touched: list[SourceFile] = field(default_factory=list)
    #: Why everything must be rebuilt, if it must ("no store yet", "rules changed").
    full: str | None = None

    @property
    def stale(self) -> bool:
        """Whether the store differs from the files in anything but modification times."""
        return bool(self.full or self.changed or self.new or self.removed)

    def to_load(self) -> list[SourceFile]:
        """The files a build has to (re)load."""
        return list(self.sources) if self.full else self.changed + self.new

    def load_bytes(self) -> int:
        """How many bytes of files a build has to read."""
        return sum(s.path.stat().st_size for s in self.to_load())

    def describe(self, ws: Workspace) -> str:
        """One line saying what differs, e.g. ``data/x.ttl changed since the last build``."""
        if self.full:
            return self.full
        parts = []
        for verb, items in (("changed", [s.path for s in self.changed]),
                            ("is new", [s.path for s in self.new]),
                            ("was removed", [Path(r["path"]) for r in self.removed])):
            if items:
                names = ", ".join(ws.display(p) for p in items[:3])
                more = f" and {len(items) - 3} more" if len(items) > 3 else ""
                verb = {"is new": "are new", "was removed": "were removed"}.get(verb, verb) \
                    if len(items) > 1 else verb
                parts.append(f"{names}{more} {verb}")
        return "; ".join(parts) + " since the last build"


def plan(ws: Workspace, manifest: dict[str, Any] | None = None) -> Plan:
    """Compare the files of ``ws`` with its store's manifest.

    Sizes and modification times decide; a file whose differ is hashed, and counts as
    changed only if its content does.

    Examples
    --------
    >>> import tempfile
    >>> from graph.workspace import init_workspace
    >>> plan(init_workspace(tempfile.mkdtemp(), empty=True)).full
    'no store has been built yet'
    """
    sources = ws.sources()
    result = Plan(sources)
    manifest = manifest if manifest is not None else read_manifest(ws)
    if manifest is None:
        result.full = "no store has been built yet"
        return result
    if manifest.get("rules") != _rules_key():
        result.full = "the derivation rules changed since the last build"
        return result
    known = {r["path"]: r for r in manifest["files"]}
    for source in sources:
        record = known.pop(str(source.path), None)
        if record is None:
            result.new.append(source)
            continue
        stat = source.path.stat()
        if (stat.st_size, stat.st_mtime_ns) == (record["size"], record["mtime_ns"]):
            result.unchanged.append(source)
        elif stat.st_size == record["size"] and _digest(source.path) == record["sha256"]:
            result.touched.append(source)
            result.unchanged.append(source)
        else:
            result.changed.append(source)
    result.removed = list(known.values())
    return result


# -- building -------------------------------------------------------------------------------

@contextlib.contextmanager
def _build_lock(state: Path) -> Iterator[None]:
    """Hold the workspace's build lock (released by the system if the process dies)."""
    state.mkdir(parents=True, exist_ok=True)
    with (state / "build.lock").open("a") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: builds are not serialised
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _validate(ws: Workspace, sources: list[SourceFile], progress: Progress | None,
              use_cache: bool) -> None:
    """Check ``sources`` (and the ontology) against the shapes; raise on the first problem."""
    from graph.errors import ValidationFailed
    from graph.validate import check

    reference = [s for s in ws.sources() if s.reference]
    data = [s for s in sources if not s.reference]
    report = check(reference + data, use_cache=use_cache,
                   progress=(lambda name: progress(f"validating {name}")) if progress else None)
    if not report.conforms:
        raise ValidationFailed(report)


def _claim_classes(ws: Workspace) -> set[str]:
    """IRIs of the claim classes (``tkg:Claim`` and below), read from the ontology file."""
    import pyoxigraph as ox

    from graph.prefixes import PREFIXES

    scratch = ox.Store()
    scratch.load(path=str(ws.ontology / "tkg.ttl"), format=ox.RdfFormat.TURTLE)
    answer = scratch.query("SELECT ?c WHERE { ?c rdfs:subClassOf* tkg:Claim }",
                           prefixes=dict(PREFIXES))
    return {solution["c"].value for solution in answer}


def _file_quads(source: SourceFile, claim_classes: set[str]) -> tuple[bytes, int, int]:
    """One file as N-Quads, ready to load: its triples in its own graph, the triples derived
    from it in its derived graph, and both again in the default graph (the merge).

    The derivation rules only join triples of one claim node, and a claim lives in one file,
    so each file is derived on its own, in a scratch store holding only that file. Blank
    nodes keep one label across the three copies, so they stay one node in the store.

    Returns the N-Quads, the file's triple count and its claim count.
    """
    import pyoxigraph as ox

    from graph.backends.oxigraph import RDF_FORMATS, OxigraphBackend
    from graph.load import materialise_rules
    from graph.prefixes import sparql_prolog
    from graph.sources import DERIVED_GRAPH

    scratch = OxigraphBackend()
    graph = ox.NamedNode(source.graph)
    if source.format in ("nquads", "trig"):
        # A dataset file is still one source: all its quads go into the file's graph.
        try:
            quads = list(ox.parse(path=str(source.path), format=RDF_FORMATS[source.format]))
        except SyntaxError as exc:
            raise ParseError(str(source.path), str(exc.msg).split(": ", 1)[-1], exc.lineno,
                             exc.offset) from None
        scratch.store.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
    else:
        scratch.load(source.path, source.format, source.graph)  # ParseError with file:line
    store = scratch.store
    triples = len(store)
    rdf_type = ox.NamedNode(_RDF_TYPE)
    claims = len({q.subject for q in store.quads_for_pattern(None, rdf_type, None, graph)
                  if q.object.value in claim_classes})
    derived = str(ox.NamedNode(derived_graph_name(source.graph)))
    if not source.reference:
        prolog = sparql_prolog()
        for rule in materialise_rules():
            if rule.stem.endswith("unique-triples"):
                continue  # the default graph is a set: restated triples need no pruning
            store.update(prolog + rule.read_text(encoding="utf-8"))
        store.update(f"MOVE SILENT {ox.NamedNode(DERIVED_GRAPH)} TO {derived}")
        store.update(f"ADD SILENT {derived} TO DEFAULT")
    store.update(f"ADD {graph} TO DEFAULT")
    return store.dump(format=ox.RdfFormat.N_QUADS), triples, claims


def _retract(store, graph: str) -> None:
    """Remove a file's graphs, and the triples of the merge that no other graph states."""
    import pyoxigraph as ox

    own = {ox.NamedNode(graph), ox.NamedNode(derived_graph_name(graph))}
    default = ox.DefaultGraph()
    for name in own:
        for quad in list(store.quads_for_pattern(None, None, None, name)):
            holders = {q.graph_name for q in store.quads_for_pattern(
                quad.subject, quad.predicate, quad.object, None)}
            if not holders - own - {default}:
                store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, default))
        store.remove_graph(name)


def _record(source: SourceFile, counts: tuple[int, int]) -> dict[str, Any]:
    stat = source.path.stat()
    return {"path": str(source.path), "graph": source.graph, "reference": source.reference,
            "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": _digest(source.path),
            "triples": counts[0], "claims": counts[1]}


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def _clean(state: Path, keep: set[str]) -> None:
    """Remove store folders the manifest no longer names (keeping the previous one, which
    readers that started before the build may still be reading), and half-built ones."""
    stores = state / "stores"
    for entry in stores.iterdir() if stores.is_dir() else ():
        if f"stores/{entry.name}" in keep:
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)  # the load batch of a killed build


def build(ws: Workspace, *, validate: bool = True, use_cache: bool = True, full: bool = False,
          progress: Progress | None = None) -> dict[str, Any]:
    """Bring the store of ``ws`` up to date with its files, reloading only what changed.

    Parameters
    ----------
    ws : Workspace
        The workspace (see :func:`graph.workspace.find_workspace`).
    validate : bool
        Check the files to load against the SHACL shapes first (results cached per file).
    use_cache : bool
        Reuse cached validation results of unchanged content.
    full : bool
        Rebuild every file, not only the changed ones.
    progress : callable, optional
        Called with a short description of each step.

    Returns
    -------
    dict
        ``loaded``, ``removed``, ``unchanged`` (file counts), ``triples``, ``claims``,
        ``seconds``, ``store`` (its folder) and ``changed`` (False when nothing was to do).

    Raises
    ------
    graph.errors.ParseError
        A file that is not well-formed RDF (file, line, column); nothing is changed.
    graph.errors.ValidationFailed
        A file that breaks the shapes; nothing is changed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from graph.workspace import init_workspace
    >>> ws = init_workspace(pathlib.Path(tempfile.mkdtemp()), empty=True)
    >>> report = build(ws)
    >>> report["changed"], report["loaded"] > 0
    (True, True)
    >>> build(ws)["changed"]
    False
    """
    import pyoxigraph as ox

    from graph.cache import write_json

    started = time.perf_counter()
    with _build_lock(ws.state):
        manifest = read_manifest(ws)
        current = plan(ws, manifest)
        if full and not current.full:
            current.full = "a full rebuild was asked for"
        if not current.stale:
            if current.touched:  # same content, new times: remember them, reload nothing
                by_path = {s.path: s for s in current.touched}
                for record in manifest["files"]:
                    source = by_path.get(Path(record["path"]))
                    if source is not None:
                        stat = source.path.stat()
                        record["size"], record["mtime_ns"] = stat.st_size, stat.st_mtime_ns
                write_json(ws.state / MANIFEST, manifest)
            return _report(manifest, 0, 0, len(current.sources), started, changed=False)
        to_load = current.to_load()
        if validate:
            reference_changed = any(s.reference for s in to_load) or bool(current.full)
            _validate(ws, current.sources if reference_changed else to_load, progress,
                      use_cache)
        name = f"stores/{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
        folder = ws.state / name
        folder.parent.mkdir(parents=True, exist_ok=True)
        incremental = manifest is not None and not current.full
        if incremental:
            if progress:
                progress("copying the current store")
            _open_read_only(ws.state / manifest["store"]).backup(str(folder))
        store = ox.Store(str(folder))
        try:
            if incremental:
                for graph in [s.graph for s in current.changed] + \
                        [r["graph"] for r in current.removed]:
                    if progress:
                        progress(f"removing {graph.rsplit('/', 1)[-1]}")
                    _retract(store, graph)
            claim_classes = _claim_classes(ws)
            counts = {}
            batch = folder.with_name(folder.name + ".nq")
            pending = []
            for source in to_load:
                if progress:
                    progress(f"reading {ws.display(source.path)}")
                quads, triples, claims = _file_quads(source, claim_classes)
                counts[source.graph] = (triples, claims)
                pending.append(quads)
                if sum(map(len, pending)) >= BATCH_BYTES or source is to_load[-1]:
                    # Bulk loads of a few tens of MB: far faster than one per file, and
                    # memory stays bounded at any size.
                    if progress:
                        progress("loading into the store")
                    batch.write_bytes(b"".join(pending))
                    pending.clear()
                    store.bulk_load(path=str(batch), format=ox.RdfFormat.N_QUADS)
            batch.unlink(missing_ok=True)
            store.flush()
        finally:
            del store
            gc.collect()  # close the store before anyone may open it read-only
        kept = {r["path"]: r for r in (manifest or {}).get("files", [])} if incremental else {}
        records, loading = [], {s.path for s in to_load}
        for source in current.sources:
            if source.path in loading:
                records.append(_record(source, counts[source.graph]))
            else:
                record = dict(kept[str(source.path)])
                stat = source.path.stat()
                record["size"], record["mtime_ns"] = stat.st_size, stat.st_mtime_ns
                records.append(record)
        new_manifest = {
            "layout": LAYOUT_VERSION, "rules": _rules_key(), "store": name,
            "key": hashlib.sha256("".join(r["sha256"] for r in records).encode()).hexdigest(),
            "built": datetime.now(UTC).isoformat(timespec="seconds"),
            "workspace": str(ws.root) if ws.root else None,
            "files": records, "size": _folder_size(folder),
        }
        write_json(ws.state / MANIFEST, new_manifest)  # the commit point
        _clean(ws.state, {name, manifest["store"]} if manifest else {name})
    removed = len(current.removed)
    return _report(new_manifest, len(to_load), removed, len(current.sources) - len(to_load),
                   started, changed=True)


def _report(manifest: dict, loaded: int, removed: int, unchanged: int, started: float, *,
            changed: bool) -> dict[str, Any]:
    files = manifest["files"]
    return {"changed": changed, "loaded": loaded, "removed": removed, "unchanged": unchanged,
            "triples": sum(r["triples"] for r in files),
            "claims": sum(r["claims"] for r in files),
            "seconds": round(time.perf_counter() - started, 3), "store": manifest["store"]}


# -- reading --------------------------------------------------------------------------------

def _open_read_only(folder: Path):
    import pyoxigraph as ox

    try:
        return ox.Store.read_only(str(folder))
    except OSError as exc:
        raise BackendError(f"{folder}: cannot open the store ({exc})") from None


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def open_store(ws: Workspace, *, rebuild: str = "auto", progress: Progress | None = None,
               notify: Callable[[str], None] | None = _stderr):
    """Open the store of ``ws`` read-only as a :class:`~graph.kg.KnowledgeGraph`.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    rebuild : {"auto", "always", "never"}
        What to do when the files differ from what the store was built from: ``"auto"``
        rebuilds first when the change is small (at most 50 MB to load) and says so,
        ``"always"`` rebuilds whatever the size, ``"never"`` raises :class:`StaleStore`.
    progress : callable, optional
        Called with a short description of each build step.
    notify : callable, optional
        Called with the one-line message about stale files (default: standard error).

    Raises
    ------
    StaleStore
        The files changed and ``rebuild`` does not allow rebuilding now (exit code 1).
    graph.errors.ParseError, graph.errors.ValidationFailed
        A rebuild found a broken file; the store is left as it was.

    Examples
    --------
    >>> import tempfile
    >>> from graph.workspace import init_workspace
    >>> ws = init_workspace(tempfile.mkdtemp(), empty=True)
    >>> kg = open_store(ws, notify=None)
    >>> kg.resolve("Mali")
    IRI('https://w3id.org/tkg/place/MLI')
    """
    if rebuild not in ("auto", "always", "never"):
        raise DataError(f"rebuild must be auto, always or never, not {rebuild!r}")
    manifest = read_manifest(ws)
    current = plan(ws, manifest)
    if current.stale:
        message = current.describe(ws)
        if rebuild == "never" or (rebuild == "auto" and current.load_bytes() > AUTO_REBUILD_BYTES):
            raise StaleStore(f"{message}: run tkg build"
                             + (f" (workspace {ws.root})" if ws.root else ""))
        if notify:
            notify(f"{message}: rebuilding first")
        build(ws, progress=progress)
        manifest = read_manifest(ws)
    return _open_manifest(ws, manifest, current.sources)


def _open_manifest(ws: Workspace, manifest: dict[str, Any],
                   sources: list[SourceFile] | None = None):
    from graph.backends.oxigraph import OxigraphBackend
    from graph.kg import KnowledgeGraph

    for _attempt in range(2):
        folder = ws.state / manifest["store"]
        try:
            backend = OxigraphBackend.open_read_only(folder)
            break
        except BackendError:
            # A build published a new store and removed this one between reading the
            # manifest and opening it: read the manifest again.
            manifest = read_manifest(ws) or manifest
    else:
        raise BackendError(f"{ws.state}: the store cannot be opened; run tkg build")
    return KnowledgeGraph(backend, ws.sources() if sources is None else sources,
                          manifest["key"], workspace=ws)


# -- status ---------------------------------------------------------------------------------

def status(ws: Workspace, *, check: bool = True) -> dict[str, Any]:
    """Each source file of ``ws`` with its state, and the store's size and build time.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    check : bool
        Parse and validate changed and new files to say whether they are invalid (first
        error); results are cached, so the next build reuses them.

    Returns
    -------
    dict
        ``workspace``, ``store`` ({``folder``, ``built``, ``bytes``, ``triples``} or None)
        and ``files``: one dict per file with ``file``, ``state`` (loaded, changed, new,
        invalid, removed), ``claims``, ``triples`` and ``error``.

    Examples
    --------
    >>> import tempfile
    >>> from graph.workspace import init_workspace
    >>> ws = init_workspace(tempfile.mkdtemp(), empty=True)
    >>> (ws.root / "data" / "mine.ttl").write_text("<urn:a> <urn:b> .")
    17
    >>> [(f["file"], f["state"]) for f in status(ws)["files"]]
    [('data/mine.ttl', 'invalid')]
    """
    manifest = read_manifest(ws)
    current = plan(ws, manifest)
    known = {r["path"]: r for r in (manifest or {}).get("files", [])}
    changed = {s.path for s in current.changed}
    rows = []
    for source in current.sources:
        if source.reference and (manifest is None or (str(source.path) in known
                                                      and source.path not in changed)):
            continue  # the ontology is listed only when it changed since a build
        record = known.get(str(source.path))
        state = "changed" if source.path in changed else "loaded" if record else "new"
        error = None
        if check and state != "loaded":
            error = _first_error(ws, source)
            if error:
                state = "invalid"
        rows.append({"file": ws.display(source.path), "state": state,
                     "claims": record["claims"] if record and state == "loaded" else None,
                     "triples": record["triples"] if record and state == "loaded" else None,
                     "error": error})
    rows += [{"file": ws.display(Path(r["path"])), "state": "removed", "claims": None,
              "triples": None, "error": None} for r in current.removed]
    store = None
    if manifest:
        store = {"folder": str(ws.state / manifest["store"]), "built": manifest["built"],
                 "bytes": manifest["size"], "triples": sum(r["triples"] for r in known.values())}
    return {"workspace": ws.name, "store": store, "files": rows}


def _first_error(ws: Workspace, source: SourceFile) -> str | None:
    """The first problem of one file (syntax or shapes), or ``None`` when it is valid."""
    from graph.errors import ParseError, ValidationFailed

    try:
        _validate(ws, [source], None, True)
    except ParseError as exc:
        return str(exc)
    except ValidationFailed as exc:
        first = exc.report.violations[0]
        value = f" ({first.value})" if first.value else ""
        return f"{first.label}: {first.message}{value} [{first.shape}]"
    return None
