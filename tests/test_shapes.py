"""Every SHACL property shape has a valid and an invalid fixture, and each behaves as stated.

Fixtures live in tests/data/shapes/, named after the shape ID; the first line of each says why
it is (in)valid. Invalid fixtures must fail on exactly their shape, with the shape's path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

import graph
from graph.resources import shapes_file
from graph.validate import _short

FIXTURES = Path(__file__).parent / "data" / "shapes"
SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPE = "https://w3id.org/tkg/shapes#"


def _property_shapes() -> dict[str, str]:
    """Shape ID -> its path rendered as validation reports render it."""
    shapes = Graph().parse(shapes_file())
    from graph.namespaces import bind

    bind(shapes)
    found = {}
    for shape in shapes.subjects(RDF.type, SH.PropertyShape):
        found[str(shape)[len(SHAPE):]] = _short(shapes.value(shape, SH.path), shapes)
    return found


PROPERTY_SHAPES = _property_shapes()


def test_fixtures_exist_for_every_property_shape():
    assert PROPERTY_SHAPES, "no property shapes found"
    missing = [s for s in PROPERTY_SHAPES
               if not (FIXTURES / f"{s}-valid.ttl").is_file()
               or not list(FIXTURES.glob(f"{s}-invalid-*.ttl"))]
    assert not missing, f"shapes without fixtures: {missing}"


def test_every_fixture_names_a_shape_and_gives_a_reason():
    fixtures = sorted(FIXTURES.glob("*.ttl"))
    assert fixtures, f"no fixtures in {FIXTURES}"
    for path in fixtures:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(("# Valid for shape:", "# Invalid for shape:")), path.name
        shape_id = path.name.rsplit("-valid", 1)[0].rsplit("-invalid", 1)[0]
        assert shape_id in PROPERTY_SHAPES, f"{path.name} names no known shape"


@pytest.mark.parametrize("shape_id", sorted(PROPERTY_SHAPES))
def test_valid_fixture_conforms(shape_id):
    report = graph.validate([FIXTURES / f"{shape_id}-valid.ttl"])
    assert report.conforms, report.summary()


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*-invalid-*.ttl")), ids=lambda p: p.stem)
def test_invalid_fixture_fails_on_its_shape_and_path(path):
    shape_id = path.name.rsplit("-invalid", 1)[0]
    report = graph.validate([path])
    assert not report.conforms
    assert {v.shape for v in report.violations} == {f"shape:{shape_id}"}, report.summary()
    assert {v.path for v in report.violations} == {PROPERTY_SHAPES[shape_id]}
    assert all(v.file == str(path) and v.message for v in report.violations)


def test_shape_ids_are_stable_iris():
    shapes = Graph().parse(shapes_file())
    for shape in set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(
            shapes.subjects(RDF.type, SH.NodeShape)):
        assert isinstance(shape, URIRef) and str(shape).startswith(SHAPE)
    for shape in shapes.subjects(RDF.type, SH.PropertyShape):
        assert shapes.value(shape, SH.message) is not None, f"{shape} has no sh:message"
