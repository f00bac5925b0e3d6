"""Fuzz ingest for longer: many mutants of real extracts, every failure printed.

The same mutants and checks as ``tests/datasets/test_fuzz_extracts.py`` (see
``tests/datasets/extract_mutants.py``), without stopping at the first failure: each mutant that
ends in anything but a batch or one of our own errors (or leaves something behind) is printed
with how it was made and what went wrong, and the run ends with a tally of the outcomes::

    .venv/bin/python benchmarks/fuzz_extracts.py --examples 2000 --seed 7

Exit code 1 if any mutant failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.datasets.extract_mutants import MUTANTS, Mutant, check_ingest  # noqa: E402


def run(examples: int, chosen_seed: int, folder: Path) -> tuple[Counter[str], list[str]]:
    """Ingest ``examples`` mutants; the tally of outcomes and the failures, described."""
    outcomes: Counter[str] = Counter()
    failures: list[str] = []

    @seed(chosen_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(MUTANTS)
    def fuzz(mutant: Mutant) -> None:
        try:
            outcomes[check_ingest(mutant, folder / "case")] += 1
        except Exception as error:  # every failure is reported, none stops the run
            outcomes["FAILED"] += 1
            where = traceback.extract_tb(error.__traceback__)[-1]
            failures.append(
                f"{mutant}\n  {type(error).__name__}: {str(error)[:500]}\n"
                f"  at {where.filename}:{where.lineno}"
            )

    fuzz()
    return outcomes, failures


def main() -> None:
    """Run the fuzzer and print the failures and the tally."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--examples", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fuzz-extracts-") as folder:
        outcomes, failures = run(options.examples, options.seed, Path(folder))
    for failure in failures:
        print(failure, end="\n\n")
    seconds = time.perf_counter() - started
    print(f"{sum(outcomes.values())} mutants in {seconds:.0f} s (seed {options.seed}):")
    for outcome, count in outcomes.most_common():
        print(f"  {count:>6}  {outcome}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
