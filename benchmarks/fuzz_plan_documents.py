"""Fuzz plan import for longer than the test suite does, and print every kind of failure found.

The same mutants as ``tests/plan/test_fuzz_document.py`` (real documents with lines deleted,
duplicated, swapped or joined, strange numbers and text inserted, cut short, re-encoded), of
the MOJ document (``../shared/plans/``, when present) and the fixture documents. An outcome is
good when the import gives a plan that saves, loads back and exports, or a PlanDocumentError at
a line of the document. Anything else is a failure, printed once per kind (exception type and
where it was raised) with the smallest mutant that showed it, which is also written to
``--out`` (``var/fuzz-plan-documents/`` by default) to import again by hand; so is an import
slower than ``--slow`` seconds. Exits 1 if there was a failure.

Usage::

    .venv/bin/python benchmarks/fuzz_plan_documents.py --examples 2000 --seed 1
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.conftest import MOJ_DOCUMENT  # noqa: E402
from tests.plan.document_mutants import FIXTURE_DOCUMENTS, check_import, mutants  # noqa: E402


@dataclass
class Failure:
    """One kind of failure: how many mutants showed it, and the smallest of them."""

    count: int
    message: str
    mutant: bytes


def documents() -> dict[str, bytes]:
    found = {name: path.read_bytes() for name, path in FIXTURE_DOCUMENTS.items()}
    if MOJ_DOCUMENT.exists():
        found["moj-106-109"] = MOJ_DOCUMENT.read_bytes()
    else:
        print(f"(the MOJ document is not at {MOJ_DOCUMENT}: fuzzing the fixtures only)")
    return found


def _kind(error: BaseException) -> str:
    """Exception type and the innermost frame of ours that raised it."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "yardstick" in f.filename]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(error).__name__} at {where}"


def _record(failures: dict[str, Failure], kind: str, message: str, mutant: bytes) -> None:
    known = failures.get(kind)
    if known is None:
        failures[kind] = Failure(1, message, mutant)
        return
    known.count += 1
    if len(mutant) < len(known.mutant):
        known.message, known.mutant = message, mutant


def fuzz(
    document: bytes, examples: int, seed_value: int, slow: float
) -> tuple[int, dict[str, Failure]]:
    """(mutants tried, failures by kind): Hypothesis may try fewer than ``examples``."""
    failures: dict[str, Failure] = {}
    tried: list[int] = []

    @seed(seed_value)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        mutant = data.draw(mutants(document))
        tried.append(len(mutant))
        started = time.perf_counter()
        try:
            check_import(mutant)
        except Exception as error:  # every failure is recorded, so that the run goes on
            _record(failures, _kind(error), f"{type(error).__name__}: {error}"[:300], mutant)
        took = time.perf_counter() - started
        if took > slow:
            _record(failures, "slow import", f"{took:.1f} s", mutant)

    run()
    return len(tried), failures


def _save(path: Path, mutant: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(mutant)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=1000, help="mutants per document")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow", type=float, default=2.0, help="seconds an import may take")
    parser.add_argument("--out", type=Path, default=REPO / "var" / "fuzz-plan-documents")
    args = parser.parse_args()
    failed = False
    for name, document in documents().items():
        started = time.perf_counter()
        tried, failures = fuzz(document, args.examples, args.seed, args.slow)
        took = time.perf_counter() - started
        print(
            f"{name}: {tried} mutants, seed {args.seed}, {took:.1f} s: "
            f"{len(failures)} kind(s) of failure"
        )
        for number, (kind, failure) in enumerate(sorted(failures.items()), start=1):
            failed = True
            saved = _save(args.out / f"{name}-seed{args.seed}-{number}.txt", failure.mutant)
            print(f"  {kind} ({failure.count}×): {failure.message}")
            print(f"    smallest mutant ({len(failure.mutant):,} bytes): {saved}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
