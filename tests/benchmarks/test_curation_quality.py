"""The drafter against curated data: the targets of docs/curation.md, measured on the seed.

The seed profile (``../shared/seeds/``, the text of the Index 2021 profile of Mali) is drafted
and its flows compared with the curated ``data/ocindex-2021-mali.ttl`` by
``curation_score.py`` (definitions there and in docs/curation.md). Tests skip outside CI when
``../shared`` is missing. The drafting time is a benchmark: ``test_curation_bench.py``.
"""

from __future__ import annotations

import pytest
from curation_score import run

from conftest import ROOT

SEED = "seeds/000_0b3dfc4151273e9a.txt"


@pytest.fixture(scope="module")
def figures(kg_oxigraph, shared_dir):
    return run(kg_oxigraph, shared_dir / SEED, ROOT / "data" / "ocindex-2021-mali.ttl",
               document="ocindex-2021-mali", title="Global Organized Crime Index 2021: Mali",
               edition=2021)


def test_flows_recall_and_precision(figures):
    assert figures["curated flows"] >= 25
    assert figures["recall"] >= 0.80, figures["missed"]
    assert figures["precision"] >= 0.70, figures["false"]


def test_certainty_follows_the_curated_grade_and_is_never_firmer_when_hedged(figures):
    assert figures["certainty equal"] >= 0.80
    assert figures["hedged pairs"] >= 1
    assert figures["firmer than curated"] == []


def test_every_proposal_carries_the_right_passage(figures):
    assert figures["right passage"] == 1.0
    assert figures["offsets inside paragraph"] == 1.0
