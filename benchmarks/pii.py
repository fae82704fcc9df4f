"""The personal-data detector on the labelled corpus: precision and recall per class, and its speed.

A finding counts as right when its class and its exact text are labelled for that text.
Usage: python benchmarks/pii.py [CORPUS]   (default tests/fixtures/pii_corpus.yaml)
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.pii import find_pii  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pii_corpus.yaml"
CLASSES = ("mobile", "landline", "id-card", "email", "bank-card", "name", "address")


def score(corpus: list[dict]) -> tuple[dict[str, tuple[int, int, int]], list[str]]:
    """Per class (true positives, false positives, false negatives), and a line per mistake."""
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    mistakes = []
    for item in corpus:
        text = item["text"]
        expected = {(cls, part) for cls, part in item["pii"]}
        found = {(f.code.removeprefix("pii-"), text[f.start:f.end]) for f in find_pii(text)}
        for cls, part in found & expected:
            tp[cls] += 1
        for cls, part in found - expected:
            fp[cls] += 1
            mistakes.append(f"  found, not labelled: {cls} {part!r} in {text!r}")
        for cls, part in expected - found:
            fn[cls] += 1
            mistakes.append(f"  missed: {cls} {part!r} in {text!r}")
    return {c: (tp[c], fp[c], fn[c]) for c in CLASSES}, mistakes


def rates(counts: tuple[int, int, int]) -> tuple[float, float]:
    """(precision, recall); 1.0 when there is nothing to be wrong about."""
    tp, fp, fn = counts
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def main(path: Path) -> None:
    corpus = yaml.safe_load(path.read_text(encoding="utf-8"))
    per_class, mistakes = score(corpus)
    negatives = sum(1 for item in corpus if not item["pii"])
    print(f"{len(corpus)} texts ({negatives} with no personal data) from {path.name}")
    print(f"  {'class':<10} {'labelled':>8} {'found':>6} {'precision':>10} {'recall':>8}")
    for cls, counts in per_class.items():
        precision, recall = rates(counts)
        tp, fp, fn = counts
        print(f"  {cls:<10} {tp + fn:>8} {tp + fp:>6} {precision:>10.1%} {recall:>8.1%}")
    total = tuple(map(sum, zip(*per_class.values())))
    precision, recall = rates(total)
    print(f"  {'all':<10} {total[0] + total[2]:>8} {total[0] + total[1]:>6} {precision:>10.1%} {recall:>8.1%}")
    print("\n".join(mistakes) or "  no mistakes")
    texts = [item["text"] for item in corpus] * 50
    started = time.perf_counter()
    for text in texts:
        find_pii(text)
    print(f"  find_pii: {(time.perf_counter() - started) / len(texts) * 1e6:.1f} µs a text")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)
