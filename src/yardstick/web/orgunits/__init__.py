"""Org units (機關), deployment-wide: plans come and go, agencies and people's roles stay."""
