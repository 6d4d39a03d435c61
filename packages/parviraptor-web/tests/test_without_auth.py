"""parviraptor.web in a project without users (issue 11, item 14).

Without ``django.contrib.auth`` the app must still load, the public pages
work, the pages that need a user answer 403 (no crash, no redirect to a login
page that does not exist) and the system check ``parviraptor_web.W001`` says
which pages can never be opened. The project without auth runs in a
subprocess with its own settings module (``noauth_settings.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import include, path

from parviraptor.web.checks import check_users_available

HERE = Path(__file__).resolve().parent

PROBE = """
import json, django
from django.core import checks
from django.core.management import call_command
from django.test import Client
django.setup()
call_command("migrate", verbosity=0)
found = checks.run_checks()
client = Client()
urls = ["/queue-monitoring/", "/open-queue-entries/", "/queue-dashboard/",
        "/queue-metrics/"]
statuses = {url: client.get(url).status_code for url in urls}
statuses["retry"] = client.post("/queue-dashboard/jobs.FifoJob/retry-failed/").status_code
print(json.dumps({
    "checks": [[c.id, c.level, c.msg] for c in found],
    "statuses": statuses,
    "health": client.get("/queue-monitoring/").content.decode(),
}))
"""


@pytest.fixture(scope="module")
def without_auth(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the project without auth reports: its checks and its answers."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="noauth_settings",
        NOAUTH_DB=str(tmp_path_factory.mktemp("noauth") / "db.sqlite3"),
        PYTHONPATH=os.pathsep.join([str(HERE), *sys.path]),
    )
    run = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_setup_and_the_public_page_work(without_auth: dict[str, Any]) -> None:
    assert without_auth["statuses"]["/queue-monitoring/"] == 200
    assert without_auth["statuses"]["/open-queue-entries/"] == 200
    assert without_auth["health"] == "Alles OK"


@pytest.mark.slow
def test_pages_needing_a_user_answer_403(without_auth: dict[str, Any]) -> None:
    statuses = without_auth["statuses"]
    assert statuses["/queue-dashboard/"] == 403
    assert statuses["/queue-metrics/"] == 403
    assert statuses["retry"] == 403


@pytest.mark.slow
def test_the_system_check_warns(without_auth: dict[str, Any]) -> None:
    (warning,) = [c for c in without_auth["checks"] if c[0] == "parviraptor_web.W001"]
    _, level, message = warning
    assert level == 30  # a warning: it blocks no command
    assert message.startswith("django.contrib.auth is not in INSTALLED_APPS")
    assert "queue-dashboard, queue-metrics, queue-actions" in message
    assert "queue-monitoring" not in message


def test_no_warning_where_there_are_users() -> None:
    assert check_users_available() == []


def test_no_warning_when_every_page_is_open_to_everyone(settings: Any) -> None:
    settings.MIDDLEWARE = []
    settings.PARVIRAPTOR_WEB_ACCESS = {"*": "public", "queue-actions": callable}
    assert check_users_available() == []


def test_auth_without_its_middleware_is_warned_about(settings: Any) -> None:
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if ".auth." not in m]
    (warning,) = check_users_available()
    assert warning.msg.startswith("django.contrib.auth.middleware.Authentication")
    assert warning.id == "parviraptor_web.W001"


@pytest.mark.django_db
def test_no_redirect_to_a_login_page_that_does_not_exist(
    client: Client, settings: Any
) -> None:
    urls = types.ModuleType("urls_without_login")
    urls.urlpatterns = [path("", include("parviraptor.urls"))]  # type: ignore[attr-defined]
    settings.ROOT_URLCONF = urls
    assert client.get("/queue-dashboard/").status_code == 403
    settings.LOGIN_URL = "/sso/"  # the project says where: trusted
    assert client.get("/queue-dashboard/")["Location"] == "/sso/?next=/queue-dashboard/"
