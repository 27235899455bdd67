"""The W3C SPARQL 1.1 Protocol test suite, every test, against a real ``tkg serve``.

The suite (``../shared/w3c/sparql11-protocol/``: ``manifest.ttl`` and its data, W3C licence)
describes each test as HTTP requests to send in order and the answers to expect
(``mf:expectedStatus``, ``mf:expectedFormat``, ``mf:expectedBoolean``); test data is named in
``ut:graphData`` (a file and the graph IRI it is loaded as). This module reads the manifest
and turns every entry into one test case: the data is loaded with an update (``DROP ALL``,
then ``INSERT DATA`` into the named graphs), each request is sent as written, with
``/sparql/`` replaced by the endpoint's path and the manifest's ``Host`` (``www.example``),
and each answer is checked as the manifest says.

The server runs with updates enabled (``--update-token-env``); every request carries the
token, so the refusals the suite expects come from the protocol, not from a missing token.
Reproduce the conformance figure with::

    pytest tests/test_w3c_protocol.py -v
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

from conftest import SHARED, require

httpx = pytest.importorskip("httpx")
pytest.importorskip("uvicorn")

from benchmarks.bench_server import started_server  # noqa: E402

SUITE = SHARED / "w3c" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-protocol-suite-token"

#: Media types that carry each ``mf:expectedFormat``.
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples",
            "application/xhtml+xml", "text/html"},
}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[range]
    format: str | None
    boolean: bool | None


@dataclass
class Case:
    name: str
    title: str
    data: list[tuple[Path, str]] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)


def _status_ranges(manifest: Graph, response) -> set[range]:
    ranges = set()
    for code in manifest.objects(response, MF.expectedStatus):
        family = str(code).rsplit("StatusCode", 1)[1]  # "2xx"
        first = int(family[0]) * 100
        ranges.add(range(first, first + 100))
    return ranges


def read_manifest() -> list[Case]:
    """Every test of the manifest, in its order, as plain data."""
    manifest = Graph().parse(SUITE / "manifest.ttl", format="turtle",
                             publicID=(SUITE / "manifest.ttl").as_uri())
    root = next(manifest.subjects(RDF.type, MF.Manifest))
    cases = []
    for entry in Collection(manifest, manifest.value(root, MF.entries)):
        case = Case(str(entry).rsplit("#", 1)[1], str(manifest.value(entry, MF.name)))
        for item in manifest.objects(entry, UT.graphData):
            file = Path(str(manifest.value(item, UT.graph)).removeprefix("file://"))
            case.data.append((file, str(manifest.value(item, RDFS.label))))
        action = manifest.value(entry, MF.action)
        for node in Collection(manifest, manifest.value(action, HT.requests)):
            headers = {}
            for header in Collection(manifest, manifest.value(node, HT.headers) or RDF.nil):
                headers[str(manifest.value(header, HT.fieldName))] = \
                    str(manifest.value(header, HT.fieldValue))
            body = manifest.value(node, HT.body)
            content = None
            if body is not None:
                encoding = str(manifest.value(body, CNT.characterEncoding) or "UTF-8")
                content = str(manifest.value(body, CNT.chars)).encode(encoding.lower())
            response = manifest.value(node, HT.resp)
            expected_format = manifest.value(response, MF.expectedFormat)
            expected_boolean = manifest.value(response, MF.expectedBoolean)
            case.requests.append(Request(
                str(manifest.value(node, HT.methodName)),
                str(manifest.value(node, HT.absolutePath)),
                headers, content, _status_ranges(manifest, response),
                None if expected_format is None else str(expected_format),
                None if expected_boolean is None else expected_boolean.toPython()))
        cases.append(case)
    return cases


CASES = read_manifest() if (SUITE / "manifest.ttl").is_file() else []


@pytest.fixture(scope="module", params=["oxigraph", "memory"])
def endpoint(request):
    require((SUITE / "manifest.ttl").is_file(), f"{SUITE} is not present (the W3C suite)")
    server = started_server("--backend", request.param, "--workers", "2",
                            "--update-token-env", "TKG_W3C_TOKEN", env={"TKG_W3C_TOKEN": TOKEN})
    with server as (url, _process), httpx.Client(timeout=60) as client:
        yield url, client


def _send(client, url: str, request: Request):
    base = url.rsplit("/sparql", 1)[0]
    assert request.path.startswith("/sparql/"), request.path
    target = base + "/sparql" + request.path[len("/sparql/") - 1:].removeprefix("/")
    headers = {"Host": "www.example", "Authorization": f"Bearer {TOKEN}", **request.headers}
    if request.body is not None and not any(k.lower() == "content-type" for k in headers):
        # The suite's "missing type" tests send a body without a Content-Type: httpx would
        # otherwise add none either, but be explicit that none is sent.
        headers.pop("Content-Type", None)
    return client.request(request.method, target, headers=headers, content=request.body)


def _boolean(response) -> bool:
    media = response.headers["content-type"].split(";")[0].strip()
    if media == "application/sparql-results+json":
        return json.loads(response.content)["boolean"]
    assert media == "application/sparql-results+xml", media
    element = ET.fromstring(response.content).find(
        "{http://www.w3.org/2005/sparql-results#}boolean")
    assert element is not None
    return element.text.strip() == "true"


def _load(client, url: str, data: list[tuple[Path, str]]) -> None:
    """Load the test's graphs: every other graph is dropped first."""
    blocks = " ".join(f"GRAPH <{graph}> {{ {(SUITE / file.name).read_text()} }}"
                      for file, graph in data)
    answer = client.post(url, content=f"DROP ALL ; INSERT DATA {{ {blocks} }}".encode(),
                         headers={"Content-Type": "application/sparql-update",
                                  "Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 204, answer.text


def test_the_manifest_has_34_tests():
    require((SUITE / "manifest.ttl").is_file(), f"{SUITE} is not present (the W3C suite)")
    assert len(CASES) == 34
    assert len({case.name for case in CASES}) == 34


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_protocol(endpoint, case: Case):
    url, client = endpoint
    if case.data:
        _load(client, url, case.data)
    for number, request in enumerate(case.requests, 1):
        response = _send(client, url, request)
        where = f"{case.name} ({case.title}), request {number}"
        assert any(response.status_code in r for r in request.statuses), \
            f"{where}: status {response.status_code}: {response.text[:300]}"
        if request.format is not None:
            media = response.headers["content-type"].split(";")[0].strip()
            assert media in FORMATS[request.format], f"{where}: {media}"
        if request.boolean is not None:
            assert _boolean(response) is request.boolean, where
