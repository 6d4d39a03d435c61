"""The pages in a real browser: headless Chromium driven by Playwright.

Logs in through the admin's login form, opens the dashboard with jobs in
several queues, clicks "Retry" on a failed job and sees the state change.
Opens the public pages without logging in, one of them from a project's
template at the original parviraptor's name.
Screenshots (desktop and phone) go to ``$PARVIRAPTOR_ARTIFACTS`` or the
test's ``tmp_path``. Skipped only where Playwright or Chromium is missing.
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from parviraptor.models import JobStatus

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the Python package playwright is not installed"
)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    candidates = [os.environ.get("PARVIRAPTOR_CHROMIUM"), "/usr/bin/chromium"]
    candidates += [shutil.which("chromium"), shutil.which("chromium-browser")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("PARVIRAPTOR_ARTIFACTS") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def chromium() -> str:
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium installed (apt-get install chromium)")
    return executable


def populate() -> dict[str, Any]:
    """Jobs in several queues; returns the failed job the test retries."""
    now = timezone.now()
    IndependentJob.objects.bulk_create(
        [IndependentJob(status=JobStatus.PROCESSED) for _ in range(40)]
        + [IndependentJob() for _ in range(7)]
        + [IndependentJob(status=JobStatus.PROCESSING) for _ in range(2)]
    )
    IndependentJob.objects.create(
        status=JobStatus.FAILED,
        error_count=2,
        error_message='ValueError: price "<b>abc</b>" is not a number',
    )
    FifoJob.objects.create(error_count=1, error_message="timeout")
    FifoJob.objects.update(not_before=now + timedelta(minutes=4))
    key = {"shop": 7, "product": 42}
    KeyedJob.objects.create(status=JobStatus.PROCESSED, **key)
    blocker = KeyedJob.objects.create(
        status=JobStatus.FAILED,
        error_count=1,
        error_message='Traceback (most recent call last):\n  File "shop.py", '
        "line 12, in sync\nKeyError: 'sku'",
        **key,
    )
    behind = [
        KeyedJob.objects.create(
            status=JobStatus.FAILED, error_message="dependent jobs failed", **key
        )
        for _ in range(3)
    ]
    KeyedJob.objects.bulk_create([KeyedJob(shop=1, product=p) for p in range(5)])
    return {"blocker": blocker, "behind": behind}


def launch(playwright: Any, chromium: str) -> Any:
    """Headless Chromium, the system's binary."""
    return playwright.chromium.launch(
        executable_path=chromium, args=CHROMIUM_ARGS, headless=True
    )


def drive_dashboard(
    chromium: str,
    base_url: str,
    login: tuple[str, str],
    blocker_pk: Any,
    artifacts: Path,
) -> None:
    """Log in, look, click "Retry" on the blocking job, look again.

    No ORM calls in here: Playwright's sync API runs an event loop in this
    thread, and database connections opened under it would outlive the test.
    """
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(15_000)

            page.goto(f"{base_url}/queue-dashboard/")
            assert "/admin/login/" in page.url  # sent to log in first
            page.fill("#id_username", login[0])
            page.fill("#id_password", login[1])
            page.click("input[type=submit]")
            page.wait_for_url("**/queue-dashboard/")

            assert "3 of 4 queues need attention" in page.inner_text(".pv-overall")
            panel = page.locator("#queue-jobs-KeyedJob")
            assert panel.locator(".pv-pill").inner_text() == "Problem"
            assert "shop=7, product=42" in panel.locator(".pv-blocked").inner_text()
            page.screenshot(
                path=str(artifacts / "dashboard-before.png"), full_page=True
            )

            retry = f'.pv-blocked button.pv-retry[data-job="{blocker_pk}"]'
            panel.locator(retry).click()
            page.wait_for_load_state()

            flash = page.locator(".pv-flash").inner_text()
            assert f"KeyedJob #{blocker_pk} will be retried" in flash
            panel = page.locator("#queue-jobs-KeyedJob")
            assert panel.locator(".pv-pill").inner_text() == "OK"
            assert panel.locator(".pv-blocked").count() == 0
            page.screenshot(path=str(artifacts / "dashboard-after.png"), full_page=True)

            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.context.add_cookies(page.context.cookies())
            phone.goto(f"{base_url}/queue-dashboard/")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, "the page must not scroll sideways on a phone"
            phone.screenshot(
                path=str(artifacts / "dashboard-phone.png"), full_page=True
            )
        finally:
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_retry_from_the_dashboard(
    live_server: Any, chromium: str, staff_user: Any, password: str, artifacts: Path
) -> None:
    jobs = populate()
    blocker = jobs["blocker"]

    drive_dashboard(
        chromium,
        live_server.url,
        (staff_user.username, password),
        blocker.pk,
        artifacts,
    )

    blocker.refresh_from_db()
    assert blocker.status == JobStatus.NEW
    assert blocker.error_count == 1
    statuses = {KeyedJob.objects.get(pk=job.pk).status for job in jobs["behind"]}
    assert statuses == {JobStatus.NEW}
    assert (artifacts / "dashboard-after.png").stat().st_size > 0


# A project's template at the original's name, linking by the original's URL name.
HEALTH_OVERRIDE = (
    '<ul id="health">{% for entry in queue_entries %}'
    "<li>{{ entry.queue_name }}: {{ entry.failed_jobs_count }} failed</li>"
    "{% empty %}<li>Alles OK</li>{% endfor %}</ul>"
    '<a id="open" href="{% url \'open-queue-entries\' %}">open jobs</a>'
)


def visit_public_pages(chromium: str, base_url: str) -> dict[str, Any]:
    """What an anonymous visitor sees on the health page and, following its
    link, on the open entries."""
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            page.goto(f"{base_url}/queue-monitoring/")
            health = page.locator("#health li").all_inner_texts()
            page.click("#open")
            page.wait_for_url("**/open-queue-entries/")
            rows = page.locator("table tr").all_inner_texts()
            return {"rows": rows, "entries_url": page.url, "health": health}
        finally:
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_public_pages_and_a_project_template(
    live_server: Any, chromium: str, settings: Any, tmp_path: Path
) -> None:
    override = tmp_path / "templates" / "parviraptor" / "queue_monitoring.html"
    override.parent.mkdir(parents=True)
    override.write_text(HEALTH_OVERRIDE)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(tmp_path / "templates")]}
    ]
    IndependentJob.objects.bulk_create([IndependentJob() for _ in range(3)])
    IndependentJob.objects.create(status=JobStatus.FAILED)

    seen = visit_public_pages(chromium, live_server.url)

    assert seen["entries_url"] == f"{live_server.url}/open-queue-entries/"
    assert "IndependentJob\t3" in seen["rows"]
    assert seen["health"] == ["IndependentJob: 1 failed"]
