"""Fuzz run: many mutants of the shipped metric definitions, through load, check, compute, CLI.

The same mutants as ``tests/metrics/test_fuzz_definitions.py`` (see
``tests/metrics/definition_mutants.py``), for as long as asked, over the demo generator's batches
at a tiny scale. Every mutant is loaded, checked and computed in process; every
``--cli-every``-th one also goes through ``kpi list``, ``kpi check`` and ``kpi compute``.
Prints each failure — anything but our own one-line error or a value — with its mutant and
traceback, and the engine refusals the checker let through (a value whose reason is an engine
failure: a hole in the checker unless it is about the records). Exit status 1 if anything
failed::

    .venv/bin/python benchmarks/fuzz_definitions.py --examples 2000 --seed 7
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the mutants live with the tests

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from tests.metrics.definition_mutants import (  # noqa: E402
    Mutant,
    Sandbox,
    engine_refusals,
    mutants,
)

COMMANDS = ("list", "check", "compute")


def _sandbox(root: Path, scale: float) -> Sandbox:
    from yardstick.demo.generate import generate
    from yardstick.metrics.project import Project

    project = Project(REPO / "plans" / "moj-106-109", root / "batches")
    generate(root / "files", scale, 106, project.contracts, project.org_units, project.data_dir)
    return Sandbox(root / "sandbox", project.data_dir)


class Run:
    """Counts, failures and engine refusals of one fuzz run."""

    def __init__(self, sandbox: Sandbox, cli_every: int) -> None:
        self.sandbox = sandbox
        self.cli_every = cli_every
        self.examples = 0
        self.outcomes: Counter[str] = Counter()
        self.failures: list[tuple[Mutant, str]] = []
        self.refusals: dict[str, Mutant] = {}

    def one(self, mutant: Mutant) -> None:
        self.examples += 1
        try:
            values = self.sandbox.exercise(mutant)
            self.outcomes["computed" if values else "refused"] += 1
            for reason in engine_refusals(values):
                self.refusals.setdefault(reason, mutant)
            if self.cli_every and self.examples % self.cli_every == 0:
                for command in COMMANDS:
                    self.sandbox.run_cli(mutant, command)
        except Exception:  # the harness reports every failure instead of stopping at one
            self.failures.append((mutant, traceback.format_exc(limit=-6)))

    def report(self, seconds: float) -> int:
        print(
            f"{self.examples} mutants in {seconds:.1f} s: {self.outcomes['computed']} computed, "
            f"{self.outcomes['refused']} refused with our error, {len(self.failures)} failures"
        )
        for mutant, trace in self.failures:
            print(f"\n=== FAILURE: {mutant}\n{trace}")
        for reason, mutant in self.refusals.items():
            print(f"\n--- the checker passed what the engine refused: {reason}\n{mutant}")
        return 1 if self.failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--examples", type=int, default=500, help="mutants to try")
    parser.add_argument("--seed", type=int, default=0, help="the run's random seed")
    parser.add_argument("--cli-every", type=int, default=25, help="0: never through the CLI")
    parser.add_argument("--scale", type=float, default=0.002, help="demo data scale")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fuzz-definitions-") as folder:
        run = Run(_sandbox(Path(folder), args.scale), args.cli_every)

        @seed(args.seed)
        @settings(
            max_examples=args.examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(mutant=mutants())
        def fuzz(mutant: Mutant) -> None:
            run.one(mutant)

        started = time.perf_counter()
        fuzz()
        return run.report(time.perf_counter() - started)


if __name__ == "__main__":
    sys.exit(main())
