"""What the demo data is tuned to produce, year by year (ROC 106–109).

Where a published figure exists (../shared/calibration.md) it is used: 5-1 in 106 (capacity
56,877, inmates 62,315 → 9.6 %), 1-2 in 106 (6,449.9 kg) and 4-1 in 106 (52.7 days). The other
levels are plausible paths chosen so that some years meet the 109 targets and some do not. The
generators draw records with these levels as their expectations; the KPI engine then computes the
values from the records — nothing here is a KPI value in itself.
"""

from __future__ import annotations

YEARS = (106, 107, 108, 109)

# 1-1 persons sentenced at first instance for making, selling or transporting drugs (target ≥ 4,000)
DRUG_DEALERS_SENTENCED = {106: 3_650, 107: 3_910, 108: 4_160, 109: 4_070}
# 1-2 pure net weight seized, kg (target ≥ 4,200; 106 published: 6,449.9)
PURE_KG_SEIZED = {106: 6_450.0, 107: 4_820.0, 108: 3_930.0, 109: 4_380.0}
# 1-3 share of each year's amount due that is eventually collected, and how fast (target ≥ 53 %)
CONFISCATION_COLLECTED_SHARE = 0.62
# 2-1 / 2-2 mutual legal assistance cases handled (targets ≥ 930 and ≥ 9,300)
FOREIGN_ASSISTANCE = {106: 880, 107: 915, 108: 955, 109: 942}
CROSS_STRAIT_ASSISTANCE = {106: 9_820, 107: 9_510, 108: 9_120, 109: 8_150}
# 3-2 share of persons in closed 廉查 cases indicted / deferred / not prosecuted at discretion (≥ 87.11 %)
CORRUPTION_PROSECUTED = {106: 0.861, 107: 0.874, 108: 0.884, 109: 0.868}
# 3-3 conviction rate of final corruption judgments (≥ 73.3 %)
CORRUPTION_CONVICTED = {106: 0.718, 107: 0.729, 108: 0.741, 109: 0.752}
# 4-1 mean days to close a 偵 case (≤ 50.5; 106 published: 52.7)
PROSECUTION_MEAN_DAYS = {106: 52.7, 107: 51.6, 108: 50.3, 109: 49.8}
# 5-1 year-end overcrowding rate (≤ 8 %; 106 published: 9.6 % on capacity 56,877)
OVERCROWDING = {106: 0.096, 107: 0.089, 108: 0.082, 109: 0.071}
APPROVED_CAPACITY = 56_877
# 5-2 referrals whose case the employment point opened (≥ 52 %)
REFERRALS_OPENED = {106: 0.481, 107: 0.506, 108: 0.531, 109: 0.527}
# 8-1 effective closure rate of enforcement cases (≥ 26 %)
EFFECTIVE_CLOSURE = {106: 0.245, 107: 0.258, 108: 0.267, 109: 0.272}
# 9-1 capital budget execution (≥ 90 %) and 9-2 estimate over the medium-term ceiling (≤ 4.7 %)
CAPITAL_EXECUTION = {106: 0.886, 107: 0.912, 108: 0.925, 109: 0.894}
ESTIMATE_OVER_CEILING = {106: 0.052, 107: 0.041, 108: 0.036, 109: 0.044}
# Entered data elements: 3-1 milestones, 6-1 two surveys (50 % each), 7-1 one survey
INTEGRITY_MILESTONE = {106: 90.0, 107: 95.0, 108: 100.0, 109: 100.0}
COMMUNITY_SERVICE_SATISFACTION = {106: 88.5, 107: 89.2, 108: 90.1, 109: 90.6}
LEGAL_AID_SATISFACTION = {106: 90.2, 107: 91.5, 108: 92.0, 109: 92.4}
HUMAN_RIGHTS_SATISFACTION = {106: 83.2, 107: 84.5, 108: 85.6, 109: 86.1}

# Yearly volumes at scale 1 (national): administrative enforcement and prosecution are big.
ENFORCEMENT_CLOSED_PER_YEAR = 1_800_000
PROSECUTION_CLOSED_PER_YEAR = 560_000
