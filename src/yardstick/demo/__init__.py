"""A deterministic generator of realistic operational data for the MOJ 106–109 plan (示範資料)."""
