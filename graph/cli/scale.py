"""CLI commands: scale (generate, bench, push).

``tkg generate`` writes a seeded synthetic graph, ``tkg push`` uploads the knowledge graph
into a SPARQL server; each calls one function of :mod:`graph.generate` or :mod:`graph.push`
and hands the rows to :func:`graph.output.emit`. ``tkg bench`` runs the benchmarks, which
are not part of the package: it finds ``tests/benchmarks/`` of a checkout (up from the
current folder, or the checkout this package is installed from) and runs them.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

import click

from graph.cli.options import output_options, progress_reporter
from graph.errors import TkgError
from graph.output import emit

__all__ = ["bench", "generate", "push"]


def _credentials(variable: str | None, default: tuple[str, str] | None = None):
    """``user:password`` read from the environment variable ``variable`` (never from argv)."""
    if not variable:
        return default
    value = os.environ.get(variable, "")
    user, sep, password = value.partition(":")
    if not sep or not user:
        raise click.BadParameter(f"environment variable {variable} must hold user:password",
                                 param_hint="--auth-env")
    return user, password


def _benchmark(name: str) -> ModuleType:
    """The module ``name`` of ``tests/benchmarks/`` in a checkout (benchmarks are not installed)."""
    import graph

    here = Path.cwd().resolve()
    for root in (here, *here.parents, Path(graph.__file__).resolve().parents[1]):
        folder = root / "tests" / "benchmarks"
        if (folder / f"{name}.py").is_file():
            if str(folder) not in sys.path:
                sys.path.insert(0, str(folder))
            return importlib.import_module(name)
    raise TkgError(f"tkg bench runs tests/benchmarks/{name}.py of a checkout of the project; "
                   f"none found up from {here} (run it inside a clone)")


@click.command()
@click.option("--triples", "-n", default="10k", show_default=True, metavar="N",
              help="Size: 10k, 100k, 1M or a number of triples.")
@click.option("--seed", "-s", default=0, show_default=True, help="Seed (same seed, same file).")
@click.option("-o", "--out", "out", required=True, type=click.Path(path_type=Path),
              help="File (.nt or .ttl), or a folder for one file per synthetic source.")
@click.option("--rdf-format", "rdf_format", type=click.Choice(["nt", "turtle"]), default=None,
              help="Format of the files written into a folder (default nt).")
@output_options
def generate(triples: str, seed: int, out: Path, rdf_format: str | None, fmt: str) -> None:
    """Write a seeded synthetic graph (SHACL-valid, real countries and vocabularies).

    Example: tkg generate --triples 100k --seed 1 -o synthetic-100k.nt
    """
    from graph.generate import generate as run_generate

    stats = run_generate(out, triples, seed, fmt=rdf_format)
    row = {k: v for k, v in stats.items() if k not in ("files", "examples")}
    row["out"] = str(out)
    emit([row], fmt)


@click.command()
@click.option("--sizes", default="10k,100k,1M", show_default=True, metavar="LIST",
              help="Comma-separated sizes to measure.")
@click.option("--repeat", default=3, show_default=True,
              help="Runs per measurement (medians; more for fast ones).")
@click.option("--seed", default=0, show_default=True, help="Seed of the synthetic graphs.")
@click.option("--workdir", default=None, type=click.Path(path_type=Path),
              help="Keep generated graphs here between runs (default: a temporary folder).")
@click.option("--validate-up-to", default="100k", show_default=True, metavar="SIZE",
              help="Largest size at which SHACL validation is measured.")
@click.option("--rdflib-budget", default=180.0, show_default=True, metavar="SECONDS",
              help="Time the rdflib process may take per size.")
@click.option("--markdown", "markdown_path", default=None, type=click.Path(path_type=Path),
              help="Also write the results as Markdown tables to this file.")
@click.option("--cold-query", is_flag=True,
              help="Only time a cold `tkg query` on the bundled data against "
                   "`python -c 'import rdflib'` (medians of --repeat runs).")
@click.option("--workspace-store", "workspace_size", default=None, metavar="SIZE",
              help="Only measure a synthetic workspace of SIZE triples: first build, cold "
                   "named query vs raw pyoxigraph on disk, cold tkg flows, one-file rebuild.")
@output_options
def bench(sizes: str, repeat: int, seed: int, workdir: Path | None, validate_up_to: str,
          rdflib_budget: float, markdown_path: Path | None, cold_query: bool,
          workspace_size: str | None, fmt: str) -> None:
    """Benchmark rdflib vs our Oxigraph backend vs raw pyoxigraph on synthetic graphs.

    Runs the benchmarks in tests/benchmarks/ of a checkout of the project (they are not
    installed with the package): run it inside a clone.

    Example: tkg bench --sizes 10k,100k --format json
    """
    if workspace_size:
        with progress_reporter() as progress:
            run = _benchmark("bench_workspace").workspace_bench
            rows = run(workspace_size, seed=seed, repeat=repeat, workdir=workdir,
                       progress=progress)
        emit(rows, fmt, columns=["task", "value", "baseline", "ratio", "target", "met", "note"])
        return
    scale = _benchmark("bench_scale")
    if cold_query:
        emit([scale.cold_query(runs=repeat)], fmt)
        return

    chosen = [s.strip() for s in sizes.split(",") if s.strip()]
    with progress_reporter() as progress:
        result = scale.bench(chosen, seed=seed, repeat=repeat, workdir=workdir,
                             validate_up_to=validate_up_to, rdflib_budget=rdflib_budget,
                             progress=progress)
    if markdown_path is not None:
        from graph.cache import write_atomic

        command = f"tkg bench --sizes {','.join(chosen)} --repeat {repeat} --seed {seed}"
        write_atomic(markdown_path, scale.markdown(result, command).encode("utf-8"))
    if fmt == "table":
        emit(result["rows"], fmt, columns=["size", "group", "task", "rows", "rdflib", "oxigraph",
                                            "pyoxigraph", "vs_rdflib", "vs_pyoxigraph", "note"])
        emit(result["targets"], fmt, columns=["size", "task", "value", "met", "note"])
    else:
        emit([*result["rows"], *result["targets"]], fmt)


@click.command()
@click.argument("url")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path), metavar="PATH",
              help="Data file or folder to push instead of the bundled data (repeatable).")
@click.option("--method", type=click.Choice(["auto", "gsp", "update", "virtuoso-bulk"]),
              default="auto", show_default=True,
              help="Graph Store Protocol, SPARQL Update, or Virtuoso's bulk loader.")
@click.option("--graph", "graph_iri", default=None, metavar="IRI",
              help="Named graph to fill (default https://w3id.org/tkg/graph/kg).")
@click.option("--graph-store", default=None, metavar="URL",
              help="Graph Store Protocol endpoint, if not the server's usual one.")
@click.option("--update-endpoint", default=None, metavar="URL",
              help="SPARQL Update endpoint, if not the server's usual one.")
@click.option("--batch-size", default=100_000, show_default=True,
              help="Triples per request (blank-node structures are never split).")
@click.option("--isql", default=None, metavar="HOST:PORT",
              help="Virtuoso's SQL port, for --method virtuoso-bulk.")
@click.option("--load-dir", default=None, type=click.Path(path_type=Path),
              help="Folder in Virtuoso's DirsAllowed, for --method virtuoso-bulk.")
@click.option("--auth-env", default=None, metavar="VAR",
              help="Environment variable holding user:password for the server.")
@click.option("--isql-auth-env", default=None, metavar="VAR",
              help="Environment variable holding user:password for isql (default dba:dba).")
@click.option("--append", is_flag=True, help="Add to the graph instead of replacing it.")
@click.option("--no-cache", is_flag=True, help="Rebuild and revalidate even if nothing changed.")
@output_options
def push(url: str, data, method: str, graph_iri: str | None, graph_store: str | None,
         update_endpoint: str | None, batch_size: int, isql: str | None,
         load_dir: Path | None, auth_env: str | None, isql_auth_env: str | None, append: bool,
         no_cache: bool, fmt: str) -> None:
    """Upload the knowledge graph into a SPARQL server (Virtuoso, Oxigraph, Fuseki...).

    Query it afterwards with `--backend URL` on any command.

    Example: tkg push http://localhost:7878
    """
    from graph.push import push as run_push

    with progress_reporter() as progress:
        report = run_push(url, list(data) or None, method=method, graph=graph_iri,
                          graph_store=graph_store, update_endpoint=update_endpoint,
                          auth=_credentials(auth_env), batch_size=batch_size, isql=isql,
                          load_dir=load_dir,
                          isql_auth=_credentials(isql_auth_env, ("dba", "dba")),
                          append=append, use_cache=not no_cache, progress=progress)
    emit([report], fmt)
