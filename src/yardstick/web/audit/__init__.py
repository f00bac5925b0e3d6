"""The audit log: one row per change (who, when, what, old → new, why), in the change's transaction."""
