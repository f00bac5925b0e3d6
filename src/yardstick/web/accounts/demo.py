"""The demo's accounts: one person per role, with generated passwords kept in ``var/`` (0600).

A second ``make demo`` finds the accounts and the file and prints the same passwords; nothing is
ever written to the repository.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from yardstick.state.accounts import Assignment, Role
from yardstick.state.storage import Accounts


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    org_unit: str | None
    description: str


DEMO_ROLES = (
    ("planner", Role.PLANNING_OFFICER, None, "研考人員 planning officer (all units)"),
    (
        "aea-officer",
        Role.DATA_OFFICER,
        "MOJ.AEA",
        "機關填報人員 data officer of 行政執行署 and its branches",
    ),
    (
        "aoc-officer",
        Role.DATA_OFFICER,
        "MOJ.AOC",
        "機關填報人員 data officer of 矯正署 and its facilities",
    ),
    ("reviewer", Role.REVIEWER, None, "審核人員 reviewer"),
    ("auditor", Role.AUDITOR, None, "稽核人員 auditor (reads everything, changes nothing)"),
    ("admin", Role.ADMINISTRATOR, None, "系統管理者 administrator (users, roles, org units)"),
)


def ensure_demo_accounts(
    accounts: Accounts, secrets_file: Path, granted_by: str
) -> list[DemoAccount]:
    """Create the demo accounts that are missing; every account with its password."""
    known = _read(secrets_file)
    made: list[DemoAccount] = []
    users = get_user_model().objects
    with transaction.atomic():
        for username, role, unit, description in DEMO_ROLES:
            password = known.get(username)
            if not users.filter(username=username).exists() or password is None:
                password = secrets.token_urlsafe(12)
                if users.filter(username=username).exists():
                    user = users.get(username=username)
                    user.set_password(password)
                    user.save(update_fields=["password"])
                else:
                    accounts.create(username, password, granted_by)
            if role is Role.ADMINISTRATOR:
                users.filter(username=username).update(is_staff=True, is_superuser=True)
            accounts.grant(username, Assignment(role, None, unit), granted_by)
            made.append(DemoAccount(username, password, role.value, unit, description))
    _write(secrets_file, made)
    return made


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    try:
        return {a["username"]: a["password"] for a in json.loads(path.read_text("utf-8"))}
    except (ValueError, KeyError, TypeError):
        return {}


def _write(path: Path, made: list[DemoAccount]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump([asdict(a) for a in made], handle, ensure_ascii=False, indent=2)
