"""The plan part: the plan model, the published-document parser, plan.yaml and exports."""

from yardstick.plan.document import decode_document, parse_document, read_document
from yardstick.plan.errors import PlanDocumentError, PlanFileError
from yardstick.plan.model import (
    KPI,
    Direction,
    DirectionSource,
    OutlineItem,
    Plan,
    Programme,
    ProgrammeCategory,
    StrategicGoal,
    Target,
)

__all__ = [
    "KPI",
    "Direction",
    "DirectionSource",
    "OutlineItem",
    "Plan",
    "PlanDocumentError",
    "PlanFileError",
    "Programme",
    "ProgrammeCategory",
    "StrategicGoal",
    "Target",
    "decode_document",
    "parse_document",
    "read_document",
]
