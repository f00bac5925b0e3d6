"""Fuzzing ingest with mutants of real extracts: only our own errors, or a batch whose quarantine
names a row and a reason for every bad row; a refused ingest leaves nothing behind.

Seeded and bounded: a few seconds. ``benchmarks/fuzz_extracts.py`` runs the same for longer.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings

from tests.datasets.extract_mutants import (
    Mutant,
    check_ingest,
    csv_mutants,
    parquet_mutants,
    xlsx_mutants,
)

FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(csv_mutants())
def test_csv_mutants_end_in_a_batch_or_our_own_error(tmp_path_factory, mutant: Mutant) -> None:  # type: ignore[no-untyped-def]
    check_ingest(mutant, Path(tmp_path_factory.mktemp("fuzz")))


@FUZZ
@given(xlsx_mutants())
def test_xlsx_mutants_end_in_a_batch_or_our_own_error(tmp_path_factory, mutant: Mutant) -> None:  # type: ignore[no-untyped-def]
    check_ingest(mutant, Path(tmp_path_factory.mktemp("fuzz")))


@FUZZ
@given(parquet_mutants())
def test_parquet_mutants_end_in_a_batch_or_our_own_error(tmp_path_factory, mutant: Mutant) -> None:  # type: ignore[no-untyped-def]
    check_ingest(mutant, Path(tmp_path_factory.mktemp("fuzz")))
