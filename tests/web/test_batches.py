"""The batches pages: each dataset's batches with status, counts, source and who ingested them;
a batch's events and quarantined rows; the quarantine download — each only to whom it belongs."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.test import Client

from tests.deployment import PLAN
from tests.web.conftest import SampleBatches
from yardstick.web.datasets.models import Batch as BatchRow

BATCHES = f"/plans/{PLAN}/batches/"


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def quarantine_lines(batch: Any) -> list[dict[str, str]]:
    with batch.quarantine_path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_reviewer_sees_every_batch_of_every_dataset_with_its_counts(
    sample_batches: SampleBatches, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    html = page(english(client_as("reviewer")), BATCHES)
    rows = list(BatchRow.objects.all())
    assert len(rows) == 15  # the demo's 12 datasets of records, and the three samples
    for row in rows:
        assert f"/batches/{row.id}/" in html
        assert row.checksum[:12] in html
        assert row.source_name in html
    moj = sample_batches.moj
    assert f"{moj.rows_accepted:,}" in html
    assert "行政執行案件" not in html and "Administrative enforcement cases" in html
    assert f"Replaced by {sample_batches.aea_active.id}" in html
    assert f"replaces {sample_batches.aea_replaced.id}" in html


def test_a_data_officer_sees_only_the_batches_of_their_own_units(
    sample_batches: SampleBatches, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    aea = page(client_as("aea-officer"), BATCHES)
    assert sample_batches.aea_active.id in aea and sample_batches.aea_replaced.id in aea
    assert sample_batches.aoc.id not in aea and sample_batches.moj.id not in aea
    aoc = page(client_as("aoc-officer"), BATCHES)
    assert sample_batches.aoc.id in aoc
    assert sample_batches.aea_active.id not in aoc and sample_batches.moj.id not in aoc


def test_batches_are_listed_in_chinese_by_default(
    sample_batches: SampleBatches, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    html = page(client_as("aea-officer"), BATCHES)
    assert "行政執行案件" in html and "法務部行政執行署臺北分署" in html
    assert "使用中" in html and f"已由 {sample_batches.aea_active.id} 取代" in html
    created = sample_batches.aea_active.ingested_at.astimezone()
    assert f"{created.year - 1911}/{created:%m/%d}" in html


def test_the_batch_page_shows_its_events_and_its_quarantined_rows(
    sample_batches: SampleBatches, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    replaced = sample_batches.aea_replaced
    html = page(english(client_as("aea-officer")), f"{BATCHES}{replaced.id}/")
    assert replaced.checksum in html and "aea-cases.csv" in html
    assert "Ingested" in html and f"Replaced by {sample_batches.aea_active.id}" in html
    assert "dates and amounts corrected by the branch" in html
    faults = quarantine_lines(replaced)
    assert len(faults) == 4 and {f["row"] for f in faults} == {"3", "4"}
    for fault in faults:
        assert fault["message_en"] in html and fault["message_zh"] not in html
        assert fault["rule"] in html
    assert f"{BATCHES}{replaced.id}/quarantine.csv" in html


def test_the_batch_page_gives_the_messages_in_chinese_by_default(
    sample_batches: SampleBatches, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    replaced = sample_batches.aea_replaced
    html = page(client_as("reviewer"), f"{BATCHES}{replaced.id}/")
    for fault in quarantine_lines(replaced):
        assert fault["message_zh"] in html


def test_a_replacing_batch_names_what_it_replaced_and_why(
    sample_batches: SampleBatches, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    active = sample_batches.aea_active
    html = page(english(client_as("auditor")), f"{BATCHES}{active.id}/")
    assert f"replacing {sample_batches.aea_replaced.id}" in html
    assert "dates and amounts corrected by the branch" in html
    assert "No row of this file was quarantined." in html


def test_a_withdrawn_batch_says_who_withdrew_it_and_why(
    sample_batches: SampleBatches,
    demo_deployment: Any,
    client_as: Callable[[str | None], Client],
    site_settings: Any,
) -> None:
    from yardstick.actions.batches import withdraw_batch
    from yardstick.web.projects import open_project

    storage = demo_deployment
    officer = storage.accounts.actor("aoc-officer")
    project = open_project(storage, PLAN)
    withdraw_batch(storage, officer, project, sample_batches.aoc.id, "counted on the wrong day")
    html = page(english(client_as("aoc-officer")), f"{BATCHES}{sample_batches.aoc.id}/")
    assert "Withdrawn" in html and "counted on the wrong day" in html and "aoc-officer" in html


def test_the_quarantine_download_is_the_file_the_batch_holds(
    sample_batches: SampleBatches, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    replaced = sample_batches.aea_replaced
    response = client_as("aea-officer").get(f"{BATCHES}{replaced.id}/quarantine.csv")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == replaced.quarantine_path.read_bytes()
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert f"{replaced.id}-quarantine.csv" in response["Content-Disposition"]


def test_a_batch_one_may_not_see_is_not_found(
    sample_batches: SampleBatches, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    aoc = client_as("aoc-officer")
    for url in (
        f"{BATCHES}{sample_batches.aea_replaced.id}/",
        f"{BATCHES}{sample_batches.aea_replaced.id}/quarantine.csv",
        f"{BATCHES}{sample_batches.moj.id}/",
    ):
        response = aoc.get(url)
        assert response.status_code == 404, url
        assert sample_batches.aea_replaced.checksum not in response.content.decode()


def test_the_public_is_sent_to_sign_in_and_others_are_refused(
    sample_batches: SampleBatches, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    public = client_as(None).get(f"{BATCHES}{sample_batches.aea_active.id}/")
    assert public.status_code == 302 and public["Location"].startswith("/accounts/login/")
    for name in ("planner", "admin"):
        assert client_as(name).get(BATCHES).status_code == 403


def test_the_batch_pages_only_read(
    sample_batches: SampleBatches, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    client = client_as("reviewer")
    client.get(BATCHES)  # the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(BATCHES, {"csrfmiddlewaretoken": token})
    assert response.status_code == 405
    assert client.head(BATCHES).status_code == 200


def test_the_batches_page_asks_the_database_a_fixed_number_of_times(
    sample_batches: SampleBatches,
    client_as: Callable[[str | None], Client],
    site_settings: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_as("reviewer")
    with django_assert_max_num_queries(10):
        client.get(BATCHES)
    with django_assert_max_num_queries(10):
        client.get(f"{BATCHES}{sample_batches.aea_active.id}/")
