"""The import pages: upload form, job page with its progress bar, the status endpoint."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.collection.importing import jobs
from jixiao.collection.importing.jobs import import_job_create, import_job_run
from jixiao.collection.models import ImportJob, Value
from jixiao.collection.tests.test_import_helpers import (
    cell,
    fast_passwords,  # noqa: F401 (autouse)
    save,
    template,
)


def url(cast, period=None) -> str:
    return f"/ledger/import/{cast.assessment.code}/{(period or cast.q1).code}/"


@pytest.mark.django_db
def test_upload_page_shows_template_link_form_and_my_recent_jobs(cast, client, tmp_path, django_assert_max_num_queries):
    mine = import_job_create(actor=cast.reporter, scope=jobs.scope_for_user(cast.reporter), period=cast.q1,
                             upload=SimpleUploadedFile("mine.xlsx", save(template(cast.reporter, cast.q1),
                                                                         tmp_path).read_bytes()), enqueue=False)
    import_job_create(actor=cast.office, scope=jobs.scope_for_user(cast.office), period=cast.q1,
                      upload=SimpleUploadedFile("theirs.xlsx", save(template(cast.office, cast.q1),
                                                                    tmp_path).read_bytes()), enqueue=False)
    client.force_login(cast.reporter)
    with django_assert_max_num_queries(10):
        r = client.get(url(cast))
    page = r.content.decode()
    assert r.status_code == 200
    assert f'{url(cast)}template.xlsx' in page
    assert 'id="import-form"' in page and 'type="file"' in page
    assert "mine.xlsx" in page and "theirs.xlsx" not in page
    assert f"/ledger/import/jobs/{mine.pk}/" in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "outsider"])
def test_users_who_report_nothing_cannot_import(cast, client, tmp_path, who):
    data = save(template(cast.office, cast.q1), tmp_path).read_bytes()
    client.force_login(getattr(cast, who))
    assert client.get(url(cast)).status_code == 403
    assert client.post(url(cast), {"file": SimpleUploadedFile("a.xlsx", data)}).status_code == 403
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_upload_runs_the_job_and_the_job_page_shows_the_count(cast, client, tmp_path):
    wb = template(cast.office, cast.q1)
    cell(wb["乡镇"], "east", "gdp:value").value = 80
    client.force_login(cast.office)
    r = client.post(url(cast), {"file": SimpleUploadedFile("填报.xlsx", save(wb, tmp_path).read_bytes())})
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/ledger/import/jobs/{job.pk}/"
    assert job.name == "填报.xlsx" and job.status == ImportJob.Status.DONE
    assert Value.objects.get().value == Decimal("80")
    page = client.get(r["Location"]).content.decode()
    assert 'id="import-done"' in page and "已写入 1 个数据" in page
    assert "hx-trigger" not in page  # finished: no more polling
    assert 'value="100"' in page


@pytest.mark.django_db
def test_job_page_lists_errors_with_sheet_row_and_column(cast, client, tmp_path):
    wb = template(cast.office, cast.q1)
    cell(wb["乡镇"], "west", "tax:value").value = "十二"
    client.force_login(cast.office)
    r = client.post(url(cast), {"file": SimpleUploadedFile("bad.xlsx", save(wb, tmp_path).read_bytes())})
    page = client.get(r["Location"]).content.decode()
    assert 'id="import-failed"' in page and 'id="import-errors"' in page
    assert "<td>乡镇</td>" in page and '<td class="num">7</td>' in page and "<td>D</td>" in page
    assert "“十二”不是数字" in page
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_status_endpoint_polls_while_queued_and_answers_json(cast, client, tmp_path):
    wb = template(cast.office, cast.q1)
    cell(wb["乡镇"], "east", "gdp:value").value = 80
    job = import_job_create(actor=cast.office, scope=jobs.scope_for_user(cast.office), period=cast.q1,
                            upload=SimpleUploadedFile("a.xlsx", save(wb, tmp_path).read_bytes()), enqueue=False)
    client.force_login(cast.office)
    status_url = f"/ledger/import/jobs/{job.pk}/status"
    html = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 500ms"' in html and f'hx-get="{status_url}"' in html
    assert 'data-status="queued"' in html and "<progress" in html
    data = client.get(status_url, HTTP_ACCEPT="application/json").json()
    assert data["status"] == "queued" and data["finished"] is False and data["progress"] == 0

    import_job_run(job_id=job.pk)
    data = client.get(status_url + "?format=json").json()
    assert (data["status"], data["finished"], data["progress"], data["written"]) == ("done", True, 100, 1)
    html = client.get(status_url).content.decode()
    assert "hx-trigger" not in html and 'data-status="done"' in html


@pytest.mark.django_db
def test_another_users_job_is_not_found(cast, client, tmp_path):
    job = import_job_create(actor=cast.reporter, scope=jobs.scope_for_user(cast.reporter), period=cast.q1,
                            upload=SimpleUploadedFile("a.xlsx", save(template(cast.reporter, cast.q1),
                                                                     tmp_path).read_bytes()), enqueue=False)
    client.force_login(cast.stats)
    assert client.get(f"/ledger/import/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/ledger/import/jobs/{job.pk}/status").status_code == 404
    client.force_login(cast.office)  # the office sees every job
    assert client.get(f"/ledger/import/jobs/{job.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_job_runs_once(cast, scope, tmp_path):
    wb = template(cast.office, cast.q1)
    cell(wb["乡镇"], "east", "gdp:value").value = 80
    job = import_job_create(actor=cast.office, scope=scope(cast.office), period=cast.q1,
                            upload=SimpleUploadedFile("a.xlsx", save(wb, tmp_path).read_bytes()))
    assert ImportJob.objects.get().status == ImportJob.Status.DONE  # the immediate backend ran it
    again = import_job_run(job_id=job.pk)  # a retried task finds the job finished and leaves it
    assert again.status == ImportJob.Status.DONE and again.written == 1
    assert Value.objects.get().version == 1


@pytest.mark.django_db
def test_progress_is_written_while_cells_are_checked(cast, scope, tmp_path, monkeypatch):
    """Progress rises on the job row during validation, in commits a polling page can read."""
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0)
    seen: list[tuple[str, int, str]] = []
    real = jobs.read_values

    def spy(data, ctx, *, progress=None):
        def report(fraction: float) -> None:
            assert progress is not None
            progress(fraction)
            j = ImportJob.objects.get()
            seen.append((j.status, j.progress, j.stage))
        return real(data, ctx, progress=report)

    monkeypatch.setattr(jobs, "read_values", spy)
    wb = template(cast.office, cast.q1)
    ws = wb["乡镇"]
    for r in range(8, 1300):  # rows of unknown objects: enough rows for several progress reports
        ws.cell(r, 1, f"x{r}")
        ws.cell(r, 3, 1)
    job = import_job_create(actor=cast.office, scope=scope(cast.office), period=cast.q1,
                            upload=SimpleUploadedFile("a.xlsx", save(wb, tmp_path).read_bytes()))
    job.refresh_from_db()
    assert len(seen) >= 5
    assert all(s == "running" and st == "校验数据" for s, _, st in seen)
    progresses = [p for _, p, _ in seen]
    assert progresses == sorted(progresses) and 0 < progresses[0] < progresses[-1] <= jobs.READ_SHARE
    assert job.status == ImportJob.Status.FAILED and job.progress == 100
