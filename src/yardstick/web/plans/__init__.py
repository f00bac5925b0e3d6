"""Plans and their immutable versions (document, plan.yaml, definitions, contracts as one bundle)."""
