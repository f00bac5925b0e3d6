"""One small demo data set, computed and assessed once for all report tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from yardstick.assess.plan_year import PlanYear, assessed_year
from yardstick.metrics.project import Project
from yardstick.reports.model import AnnualReport, build_report

PLAN_DIR = REPO / "plans" / "moj-106-109"


@pytest.fixture(scope="session")
def assessed(demo_project: Project) -> PlanYear:
    return assessed_year(demo_project, 109)


@pytest.fixture(scope="session")
def report(assessed: PlanYear, demo_project: Project) -> AnnualReport:
    return build_report(
        assessed, demo_project.org_units, {"8-1": "本署持續推動多元繳款，有效結案率提升。"}
    )


ARTIFACTS = REPO / "test-artifacts"


def artifact_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
