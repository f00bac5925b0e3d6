"""The rating scheme (燈號): thresholds that turn achievement into a light, kept in plan.yaml.

Default, after the Executive Yuan's practice for the performance evaluation of its agencies'
medium-term plans (行政院所屬各機關施政績效評估; the lights 綠 / 黃 / 紅 / 白): a target met is
綠燈; a target missed with achievement of at least 90 % is 黃燈 (close, watch); below 90 % is 紅燈;
a KPI that cannot be assessed (no data, incomplete data, a ratio that does not exist) is 白燈 with
the reason. The exact thresholds of the Executive Yuan's rules were not found in a primary source
(see ../shared/calibration.md), so they are data: another ministry or year changes them in its
plan.yaml without code. Achievement used for scoring is capped at 100 % by default (over-achieving
one KPI does not make up for another); the uncapped figure is always shown as well.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Light(StrEnum):
    """燈號."""

    GREEN = "green"  # 綠燈: target met
    YELLOW = "yellow"  # 黃燈: missed, but close
    RED = "red"  # 紅燈: missed
    WHITE = "white"  # 白燈: cannot be assessed, with the reason

    @property
    def zh(self) -> str:
        return {"green": "綠燈", "yellow": "黃燈", "red": "紅燈", "white": "白燈"}[self.value]


class RatingScheme(BaseModel):
    """Thresholds, as fractions of the target (1.0 = 100 %)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    yellow_from: float = Field(
        0.9, gt=0, le=1, description="achievement from which a missed target is 黃燈"
    )
    achievement_cap: float | None = Field(
        1.0, gt=0, description="cap on achievement for scoring; null for none"
    )
    source: str = Field(
        "行政院所屬各機關施政績效評估之燈號（綠：達成；黃：未達成但達成度≥90%；紅：達成度<90%；白：無法評估）— "
        "thresholds configurable; the Executive Yuan's exact figures were not found in a primary source",
        description="where the thresholds come from",
    )

    @model_validator(mode="after")
    def _cap_not_below_one(self) -> RatingScheme:
        if self.achievement_cap is not None and self.achievement_cap < 1:
            raise ValueError("achievement_cap below 1 would mark met targets as under-achieved")
        return self
