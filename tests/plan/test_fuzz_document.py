"""Fuzz: a mutant of a real plan document imports as a plan or fails with our error at its line.

Seeded (``derandomize``) and bounded so the suite stays fast; ``benchmarks/fuzz_plan_documents.py``
runs the same mutants for longer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.plan.document_mutants import FIXTURE_DOCUMENTS, check_import, mutants
from yardstick.plan import Plan, PlanDocumentError

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@FUZZ
@given(data=st.data())
def test_a_mutant_of_the_moj_document_gives_a_plan_or_our_error(
    moj_document: Path, data: st.DataObject
) -> None:
    outcome = check_import(data.draw(mutants(moj_document.read_bytes())))
    assert isinstance(outcome, Plan | PlanDocumentError)


@pytest.mark.parametrize("name", sorted(FIXTURE_DOCUMENTS))
@FUZZ
@given(data=st.data())
def test_a_mutant_of_a_fixture_document_gives_a_plan_or_our_error(
    name: str, data: st.DataObject
) -> None:
    outcome = check_import(data.draw(mutants(FIXTURE_DOCUMENTS[name].read_bytes())))
    assert isinstance(outcome, Plan | PlanDocumentError)


@pytest.mark.parametrize("name", sorted(FIXTURE_DOCUMENTS))
def test_the_documents_themselves_import(name: str, moj_document: Path) -> None:
    """The mutants' starting points are plans (so a failure is the mutation's doing)."""
    assert isinstance(check_import(FIXTURE_DOCUMENTS[name].read_bytes()), Plan)
    assert isinstance(check_import(moj_document.read_bytes()), Plan)
