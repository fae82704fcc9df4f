"""The detector on the labelled corpus (tests/fixtures/pii_corpus.yaml): a floor on precision and recall per class."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("pii_benchmark", ROOT / "benchmarks" / "pii.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

FLOORS = {"mobile": (1.0, 0.9), "landline": (1.0, 1.0), "id-card": (1.0, 1.0), "email": (1.0, 1.0),
          "bank-card": (1.0, 1.0), "name": (0.95, 0.8), "address": (0.95, 0.9)}


def test_precision_and_recall_per_class_stay_above_their_floor():
    corpus = yaml.safe_load(bench.CORPUS.read_text(encoding="utf-8"))
    assert sum(1 for item in corpus if not item["pii"]) >= 25  # look-alikes that must pass
    per_class, mistakes = bench.score(corpus)
    for cls, (precision_floor, recall_floor) in FLOORS.items():
        precision, recall = bench.rates(per_class[cls])
        assert precision >= precision_floor and recall >= recall_floor, (cls, precision, recall, mistakes)
