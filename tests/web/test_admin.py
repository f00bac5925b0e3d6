"""The administration site: administrators manage accounts, role assignments and org units, and
every change they make there leaves its audit entry in the transaction of the change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.deployment import PASSWORD, PLAN
from yardstick.state.accounts import Role
from yardstick.web.accounts.models import RoleAssignment
from yardstick.web.audit.models import AuditEntry
from yardstick.web.audit.stores import OrmAuditLog
from yardstick.web.orgunits.models import OrgUnit
from yardstick.web.plans.models import Plan

User = get_user_model()
NEW_PASSWORD = "another long enough password 34"


@pytest.fixture
def admin_client(
    deployment: Any, client_as: Callable[[str | None], Client], site_settings: Any
) -> Client:
    client = client_as("admin")
    client.cookies["django_language"] = "en"
    return client


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    """Submit a form of the admin as a browser does: its page first, then the form with the token."""
    assert client.get(url).status_code == 200, url
    return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **data})


def audited(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def no_inlines() -> dict[str, str]:
    return {
        "role_assignments-TOTAL_FORMS": "0",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
    }


def test_an_administrator_grants_a_role_and_the_audit_keeps_it(admin_client: Client) -> None:
    planner = User.objects.get(username="planner")
    plan = Plan.objects.get(code=PLAN)
    response = post(
        admin_client,
        "/admin/accounts/roleassignment/add/",
        {"user": planner.pk, "role": Role.REVIEWER.value, "plan": plan.pk, "org_unit": ""},
    )
    assert response.status_code == 302
    row = RoleAssignment.objects.get(user=planner, role=Role.REVIEWER.value)
    assert row.granted_by == "admin" and row.plan == plan and row.org_unit is None
    [entry] = [e for e in audited("account.role_granted") if e.object_id == "planner"][-1:]
    assert entry.actor == "admin" and entry.plan == PLAN
    assert entry.new == {"role": "reviewer", "plan": PLAN, "org_unit": None}


def test_changing_and_revoking_a_role_are_audited(admin_client: Client) -> None:
    row = RoleAssignment.objects.get(user__username="aea-officer")
    url = f"/admin/accounts/roleassignment/{row.pk}/"
    changed = post(
        admin_client,
        f"{url}change/",
        {"user": row.user_id, "role": row.role, "plan": "", "org_unit": unit("MOJ.AEA.TPE").pk},
    )
    assert changed.status_code == 302
    [entry] = audited("account.role_changed")
    assert (entry.actor, entry.object_id) == ("admin", "aea-officer")
    assert entry.old == {"role": "data_officer", "plan": None, "org_unit": "MOJ.AEA"}
    assert entry.new == {"role": "data_officer", "plan": None, "org_unit": "MOJ.AEA.TPE"}
    assert post(admin_client, f"{url}delete/", {"post": "yes"}).status_code == 302
    assert not RoleAssignment.objects.filter(pk=row.pk).exists()
    [revoked] = audited("account.role_revoked")
    assert revoked.old == entry.new and revoked.object_id == "aea-officer"


def test_a_role_held_already_is_refused_and_nothing_is_stored(admin_client: Client) -> None:
    reviewer = User.objects.get(username="reviewer")
    before = (RoleAssignment.objects.count(), AuditEntry.objects.count())
    response = post(
        admin_client,
        "/admin/accounts/roleassignment/add/",
        {"user": reviewer.pk, "role": Role.REVIEWER.value, "plan": "", "org_unit": ""},
    )
    assert response.status_code == 200
    assert "already holds this role" in response.content.decode()
    assert (RoleAssignment.objects.count(), AuditEntry.objects.count()) == before


def test_roles_granted_on_the_account_page_are_audited_with_its_changes(
    admin_client: Client,
) -> None:
    officer = User.objects.get(username="aea-officer")
    row = RoleAssignment.objects.get(user=officer)
    response = post(
        admin_client,
        f"/admin/auth/user/{officer.pk}/change/",
        {
            "username": "aea-officer", "first_name": "", "last_name": "",
            "email": "aea@example.gov.tw", "is_active": "on",
            "role_assignments-TOTAL_FORMS": "2", "role_assignments-INITIAL_FORMS": "1",
            "role_assignments-MIN_NUM_FORMS": "0", "role_assignments-MAX_NUM_FORMS": "1000",
            "role_assignments-0-id": row.pk, "role_assignments-0-user": officer.pk,
            "role_assignments-0-role": row.role, "role_assignments-0-plan": "",
            "role_assignments-0-org_unit": row.org_unit_id,
            "role_assignments-1-user": officer.pk, "role_assignments-1-role": "auditor",
            "role_assignments-1-plan": "", "role_assignments-1-org_unit": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    [changed] = audited("account.changed")
    assert changed.old == {"email": ""} and changed.new == {"email": "aea@example.gov.tw"}
    granted = audited("account.role_granted")[-1]
    assert (granted.actor, granted.object_id) == ("admin", "aea-officer")
    assert granted.new == {"role": "auditor", "plan": None, "org_unit": None}
    assert not audited("account.role_changed")  # the data officer row was left as it was


def test_an_account_added_in_the_admin_is_audited_and_its_password_hashed(
    admin_client: Client,
) -> None:
    response = post(
        admin_client,
        "/admin/auth/user/add/",
        {
            "username": "newcomer", "usable_password": "true",
            "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **no_inlines(),
        },
    )  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.password.startswith("argon2") and user.check_password(NEW_PASSWORD)
    assert not user.is_staff and not user.is_superuser
    [created] = [e for e in audited("account.created") if e.object_id == "newcomer"]
    assert created.actor == "admin"


def test_a_password_changed_in_the_admin_is_audited(admin_client: Client) -> None:
    officer = User.objects.get(username="aoc-officer")
    response = post(
        admin_client,
        f"/admin/auth/user/{officer.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD) and not officer.check_password(PASSWORD)
    [entry] = audited("account.password_changed")
    assert (entry.actor, entry.object_id) == ("admin", "aoc-officer")


def test_deleting_an_account_is_audited_with_the_roles_it_held(admin_client: Client) -> None:
    officer = User.objects.get(username="aoc-officer")
    response = post(admin_client, f"/admin/auth/user/{officer.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(username="aoc-officer").exists()
    [entry] = audited("account.deleted")
    assert entry.object_id == "aoc-officer" and "MOJ.AOC" in entry.old["roles"]


def test_the_admin_does_not_make_anyone_staff_or_superuser(admin_client: Client) -> None:
    planner = User.objects.get(username="planner")
    response = post(
        admin_client,
        f"/admin/auth/user/{planner.pk}/change/",
        {"username": "planner", "is_active": "on", "is_staff": "on", "is_superuser": "on",
         **no_inlines()},
    )  # fmt: skip
    assert response.status_code == 302
    planner.refresh_from_db()
    assert not planner.is_staff and not planner.is_superuser


def test_an_org_unit_is_added_under_its_parent_and_audited(
    admin_client: Client, deployment: Any
) -> None:
    response = post(
        admin_client,
        "/admin/orgunits/orgunit/add/",
        {
            "code": "MOJ.AEA.KMN", "parent": unit("MOJ.AEA").pk, "name_zh": "法務部行政執行署金門分署",
            "name_en": "Administrative Enforcement Agency Kinmen Branch",
            "kind": "enforcement_branch", "position": "900",
        },
    )  # fmt: skip
    assert response.status_code == 302
    units = deployment.org_units.org_units()
    assert units.get("MOJ.AEA.KMN").parent == "MOJ.AEA"
    assert "MOJ.AEA.KMN" in units.subtree_codes("MOJ.AEA")
    [entry] = audited("orgunit.created")[-1:]
    assert (entry.actor, entry.object_id) == ("admin", "MOJ.AEA.KMN")
    assert entry.new["parent"] == "MOJ.AEA" and entry.new["kind"] == "enforcement_branch"


@pytest.mark.parametrize(
    ("code", "parent", "message"),
    [
        ("MOJ.AOC.KMN", "MOJ.AEA", "must be the parent&#x27;s code MOJ.AEA"),
        ("MOJ.AEA.kmn", "MOJ.AEA", "segments of capitals"),
        ("KMN", None, "sits under a parent unit"),
    ],
)
def test_an_org_unit_must_sit_where_its_code_says(
    admin_client: Client, code: str, parent: str | None, message: str
) -> None:
    before = (OrgUnit.objects.count(), AuditEntry.objects.count())
    response = post(
        admin_client,
        "/admin/orgunits/orgunit/add/",
        {
            "code": code, "parent": unit(parent).pk if parent else "", "name_zh": "金門分署",
            "name_en": "Kinmen Branch", "kind": "enforcement_branch", "position": "900",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (OrgUnit.objects.count(), AuditEntry.objects.count()) == before


def test_renaming_an_org_unit_is_audited_and_its_code_stays(admin_client: Client) -> None:
    branch = unit("MOJ.AEA.TPE")
    response = post(
        admin_client,
        f"/admin/orgunits/orgunit/{branch.pk}/change/",
        {
            "code": "MOJ.ELSEWHERE", "name_zh": "法務部行政執行署臺北分署（新址）",
            "name_en": branch.name_en, "kind": branch.kind, "position": branch.position,
        },
    )  # fmt: skip
    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.code == "MOJ.AEA.TPE" and branch.name_zh.endswith("（新址）")
    [entry] = audited("orgunit.changed")
    assert entry.old == {"name_zh": "法務部行政執行署臺北分署"}
    assert entry.new == {"name_zh": "法務部行政執行署臺北分署（新址）"}


def test_org_units_are_not_deleted_in_the_admin(admin_client: Client) -> None:
    branch = unit("MOJ.AEA.TPE")
    assert admin_client.get(f"/admin/orgunits/orgunit/{branch.pk}/delete/").status_code == 403


def test_a_change_whose_audit_entry_fails_is_not_kept(admin_client: Client) -> None:
    branch = unit("MOJ.AEA.TPE")
    url = f"/admin/orgunits/orgunit/{branch.pk}/change/"
    assert admin_client.get(url).status_code == 200
    data = {
        "csrfmiddlewaretoken": admin_client.cookies["csrftoken"].value,
        "name_zh": "改名", "name_en": branch.name_en, "kind": branch.kind,
        "position": branch.position,
    }  # fmt: skip
    with (
        mock.patch.object(OrmAuditLog, "record", autospec=True, side_effect=RuntimeError("down")),
        pytest.raises(RuntimeError),
    ):
        admin_client.post(url, data)
    branch.refresh_from_db()
    assert branch.name_zh == "法務部行政執行署臺北分署"


def test_a_superuser_administers_and_staff_alone_does_not(
    deployment: Any, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    User.objects.create_user("root", password=PASSWORD, is_staff=True, is_superuser=True)
    User.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    assert client_as("root").get("/admin/").status_code == 200
    assert client_as("clerk").get("/admin/").status_code == 403


def test_the_admin_signs_in_through_the_sites_own_page(
    deployment: Any, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    response = client_as(None).get("/admin/login/?next=/admin/orgunits/orgunit/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/orgunits/orgunit/"


def test_the_account_list_shows_each_persons_roles(admin_client: Client) -> None:
    html = admin_client.get("/admin/auth/user/").content.decode()
    for name in ("admin", "planner", "aea-officer", "aoc-officer", "reviewer", "auditor"):
        assert f">{name}<" in html
    assert "機關填報人員 agency data officer MOJ.AEA" in html
