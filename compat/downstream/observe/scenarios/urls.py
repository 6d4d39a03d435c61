"""The URLs of ``include("parviraptor.urls")``: responses and ``reverse()``.

Each page is fetched anonymously, as a monitoring system does, with empty
queues and with some jobs; then again with the project's own templates at
the original's names (a 2.2.2 project had to bring them: its wheel has none).
"""

from __future__ import annotations

from django.conf import settings
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from jobs.models import FifoJob, IndependentJob

from observe import html, jobs

URL_NAMES = ("queue-monitoring", "open-queue-entries")
PAGES = ("/queue-monitoring/", "/open-queue-entries/")


def observe() -> dict:
    observed = {"reverse": {name: _reverse(name) for name in URL_NAMES}}
    observed["empty queues"] = _pages()
    jobs.create(FifoJob, [("failed", "ok", {"status": "FAILED"})])
    jobs.create(
        IndependentJob,
        [("n1", "ok"), ("n2", "ok"), ("p1", "ok", {"status": "PROCESSING"})],
    )
    observed["with jobs"] = _pages()
    with override_settings(TEMPLATES=_project_templates()):
        observed["project templates"] = _pages()
    return observed


def _reverse(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return "NoReverseMatch"


def _project_templates() -> list[dict]:
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [settings.BASE_DIR / "override_templates"]
    return templates


def _pages() -> dict:
    return {path: _fetch(path) for path in PAGES}


def _fetch(path: str) -> dict:
    response = Client(raise_request_exception=False).get(path)
    content = response.content.decode(errors="replace")
    observed = {
        "status": response.status_code,
        "content_type": response.get("Content-Type", "").split(";")[0],
    }
    if response.status_code in (301, 302):
        observed["redirect_to"] = response["Location"].split("?")[0]
    elif response.status_code == 200 and path == "/queue-monitoring/":
        observed["body"] = html.collapse(content)
        observed["text"] = html.text_of(content)
    elif response.status_code == 200:
        observed["table"] = html.table_of(content)
        if "PROJECT TEMPLATE" in content:
            observed["body"] = html.collapse(content)
    return observed
