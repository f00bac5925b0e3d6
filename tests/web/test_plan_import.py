"""Importing a plan from its published document on the site (``/plans/import/``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape

from tests.conftest import FIXTURES
from tests.deployment import PLAN, run
from yardstick.actions.plans import import_plan_document
from yardstick.plan.document import decode_document, parse_document
from yardstick.plan.errors import PlanDocumentError
from yardstick.state.accounts import PermissionDenied
from yardstick.web.plans.models import Plan, PlanVersion

Clients = Callable[[str | None], Client]
IMPORT = "/plans/import/"
MOE = FIXTURES / "plans" / "moe-110-113-crlf.txt"
MOHW = FIXTURES / "plans" / "mohw-112-113-big5.txt"


def _form(data: bytes, name: str = "plan.txt", **fields: str) -> dict[str, Any]:
    values = {"ministry": "教育部", "period": "110-113", "code": "moe-110-113"} | fields
    return {"document": SimpleUploadedFile(name, data, "text/plain"), **values}


def _post(client: Client, form: dict[str, Any]) -> Any:
    page = client.get(IMPORT)
    token = page.cookies["csrftoken"].value
    return client.post(IMPORT, {**form, "csrfmiddlewaretoken": token})


def _html(response: Any) -> str:
    return str(response.content.decode("utf-8"))


def _stored() -> tuple[list[str], int]:
    return sorted(Plan.objects.values_list("code", flat=True)), PlanVersion.objects.count()


def test_the_public_is_sent_to_sign_in(deployment: Any, client_as: Clients) -> None:
    response = client_as(None).get(IMPORT)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", ["admin", "aea-officer", "aoc-officer", "reviewer", "auditor"])
def test_only_a_planning_officer_may_import(
    deployment: Any, client_as: Clients, site_settings: Any, name: str
) -> None:
    assert client_as(name).get(IMPORT).status_code == 403
    assert client_as(name).post(IMPORT).status_code == 403


def test_the_form_asks_for_the_document_ministry_period_and_code(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    response = client_as("planner").get(IMPORT)
    assert response.status_code == 200
    html = _html(response)
    assert 'enctype="multipart/form-data"' in html
    for field, label in [
        ("document", "計畫公告文件"),
        ("ministry", "部會"),
        ("period", "計畫期間（民國年）"),
        ("code", "計畫代碼"),
    ]:
        assert f'<label for="id_{field}">{label}</label>' in html


def test_a_post_without_its_csrf_token_is_refused(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    response = client_as("planner").post(IMPORT, _form(MOE.read_bytes()))
    assert response.status_code == 403 and _stored() == ([PLAN], 1)


def test_a_faulty_document_shows_the_parsers_line_and_stores_nothing(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    text = decode_document(MOE.read_bytes()).replace("\t８５％", "\t八十五％")
    with pytest.raises(PlanDocumentError) as expected:
        parse_document(text, "教育部", "110-113")
    audit_before = len(deployment.audit.entries())
    response = _post(client_as("planner"), _form(text.encode("utf-8")))
    assert response.status_code == 400
    html = _html(response)
    assert str(expected.value).startswith("line 31: expected a 113年度 target")
    field = html[html.index('id="id_document"') :]
    assert escape(str(expected.value)) in field[: field.index('id="id_ministry"')]
    assert _stored() == ([PLAN], 1)
    assert len(deployment.audit.entries()) == audit_before


def test_a_good_document_is_stored_audited_and_its_guessed_directions_listed(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    client = client_as("planner")
    response = _post(client, _form(MOE.read_bytes()))
    assert response.status_code == 302
    assert response["Location"] == "/plans/moe-110-113/plan/#review"
    version = deployment.plans.current("moe-110-113")
    plan = version.bundle.plan
    assert (version.number, version.author, plan.ministry) == (1, "planner", "教育部")
    assert (plan.start_year, plan.end_year, len(plan.kpis)) == (110, 113, 5)
    assert version.bundle.definitions == {} and version.bundle.contracts == {}
    assert version.bundle.document == decode_document(MOE.read_bytes())
    [entry] = [
        e for e in deployment.audit.entries("plan", "moe-110-113") if e.action == "plan.imported"
    ]
    assert entry.actor == "planner" and entry.new["version"] == 1
    assert entry.new["guessed_directions"] == [
        ["1-1", 113],
        ["1-2", 113],
        ["3-1", 113],
        ["3-2", 113],
    ]

    page = client.get(response["Location"])
    html = _html(page)
    assert "計畫 moe-110-113 已儲存為第 1 版。" in html
    assert "共 4 項目標值未載明方向，請於下方複核。" in html
    review = html[html.index('id="review"') : html.index('id="outline"')]
    for code in ("1-1", "1-2", "3-1", "3-2"):
        assert f'href="#kpi-{code}"' in review
        assert f'href="/plans/moe-110-113/kpis/{code}/"' in review
    assert "2-1" not in review, "90%以上 states its direction"
    assert review.count("預設，未經複核") == 4


def test_a_big5_document_imports_with_its_chinese_intact(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    form = _form(MOHW.read_bytes(), ministry="衛生福利部", period="112-113", code="mohw-112-113")
    assert _post(client_as("planner"), form).status_code == 302
    plan = deployment.plans.current("mohw-112-113").bundle.plan
    expected = parse_document(decode_document(MOHW.read_bytes()), "衛生福利部", "112-113")
    assert plan == expected and (plan.start_year, plan.end_year) == (112, 113)


def test_an_imported_plan_without_definitions_shows_its_kpis_as_not_yet_defined(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    assert _post(client_as("planner"), _form(MOE.read_bytes())).status_code == 302
    not_yet_defined = '<span class="light light-white">'
    browse = _html(client_as(None).get("/plans/moe-110-113/plan/"))
    assert browse.count(not_yet_defined) == 5
    assert "尚有 5 項關鍵績效指標未訂定衡量定義" in browse
    programme = _html(client_as("reviewer").get("/plans/moe-110-113/plan/programmes/1/"))
    assert programme.count(not_yet_defined) == 2 and "這些關鍵績效指標尚無計算結果。" in programme
    assert programme.count("※") == 3, "two guessed targets and the footnote that explains them"


def test_kpi_list_works_on_a_plan_without_definitions(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    assert _post(client_as("planner"), _form(MOE.read_bytes())).status_code == 302
    listed = run("kpi", "list", "--plan", "moe-110-113")
    assert listed.exit_code == 0, listed.error
    rows = [line for line in listed.output.splitlines() if re.search(r"\b\d-\d\b", line)]
    assert len(rows) == 5 and all("not yet defined" in row for row in rows)


def test_a_document_over_the_limit_is_refused_with_a_message(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    big = MOE.read_bytes() + b"\r\n" * (3 * 1024 * 1024 // 2)
    response = _post(client_as("planner"), _form(big))
    assert response.status_code == 400
    assert "檔案大小為 3.0 MiB；計畫文件以 2.0 MiB 為限。" in _html(response)
    assert _stored() == ([PLAN], 1)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("period", "一一〇至一一三", "請以「起始年-結束年」填寫民國年度"),
        ("period", "113-110", "請以「起始年-結束年」填寫民國年度"),
        ("code", "MOE 110", "請使用小寫英文字母、數字及單一連字號"),
        ("code", "import", "請使用小寫英文字母、數字及單一連字號"),
        ("ministry", "", "這個欄位是必須的"),
    ],
)
def test_a_bad_field_is_refused_next_to_it_and_nothing_is_stored(
    deployment: Any, client_as: Clients, site_settings: Any, field: str, value: str, message: str
) -> None:
    response = _post(client_as("planner"), _form(MOE.read_bytes(), **{field: value}))
    assert response.status_code == 400
    html = _html(response)
    after = html[html.index(f'id="id_{field}"') :]
    assert message in after[: after.index("</p>")]
    assert _stored() == ([PLAN], 1)


def test_importing_a_stored_plan_again_keeps_its_definitions_and_reviews(
    deployment: Any, client_as: Clients, site_settings: Any, moj_document: Path
) -> None:
    before = deployment.plans.current(PLAN)
    form = _form(moj_document.read_bytes(), ministry="法務部", period="106-109", code=PLAN)
    response = _post(client_as("planner"), form)
    assert response.status_code == 302
    after = deployment.plans.current(PLAN)
    assert (before.number, after.number) == (1, 2)
    assert after.bundle.definitions == before.bundle.definitions
    assert after.bundle.contracts == before.bundle.contracts
    target = after.bundle.plan.kpi("4-1").target_for(109)
    assert target is not None and target.direction_source.value == "reviewed"
    assert after.bundle.document == decode_document(moj_document.read_bytes())


def test_definitions_that_no_longer_fit_refuse_the_import(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    form = _form(MOE.read_bytes(), code=PLAN)  # the MOJ definitions name KPIs MOE has not
    response = _post(client_as("planner"), form)
    assert response.status_code == 400
    assert "problem(s) in the metric definitions" in _html(response)
    assert _stored() == ([PLAN], 1)


def test_the_import_action_checks_the_role_itself(deployment: Any) -> None:
    plan = parse_document(decode_document(MOE.read_bytes()), "教育部", "110-113")
    with pytest.raises(PermissionDenied, match="reviewer may not import plan moe-110-113"):
        import_plan_document(
            deployment, deployment.accounts.actor("reviewer"), "moe-110-113", plan, "text"
        )
    assert _stored() == ([PLAN], 1)
