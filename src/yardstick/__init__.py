"""yardstick: performance management for government strategic plans (施政績效管理系統)."""

__version__ = "0.1.0"
