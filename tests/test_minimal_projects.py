"""Projects set up unlike the test project, each a subprocess of its own.

- Without ``django.contrib.auth`` (and admin, sessions, messages): core and
  worker must not need them; ``check``, ``migrate``, ``process_queue
  --until-empty`` and ``clean_old_processed_jobs`` work on a fresh database.
- Upgraded from the original with only ``"parviraptor"`` installed: the
  system check names the missing ``"parviraptor.worker"``, and the worker's
  models never end up under a foreign app label.
"""

from __future__ import annotations

import json

import pytest

JOB_APP = "testproject.jobs"
NO_AUTH = ["django.contrib.contenttypes", "parviraptor", "parviraptor.worker", JOB_APP]
ONLY_CORE = ["django.contrib.contenttypes", "parviraptor", JOB_APP]

ENQUEUE = """
from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob
IndependentJob.objects.bulk_create([IndependentJob() for _ in range(5)])
IndependentJob.objects.create(behaviour="invalid", message="bad data")
FifoJob.objects.bulk_create([FifoJob() for _ in range(3)])
KeyedJob.objects.bulk_create([KeyedJob(shop=1, product=n % 2) for n in range(4)])
"""

STATUSES = """
import json
from django.db.models import Count
from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob
print(json.dumps({
    model.__name__: dict(model.objects.values_list("status").annotate(Count("pk")))
    for model in (IndependentJob, FifoJob, KeyedJob)
}))
"""


def _ok(result):
    assert result.returncode == 0, f"rc {result.returncode}\n{result.stderr}"
    return result


def _last_json_line(stdout: str):
    return json.loads(stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_core_and_worker_work_without_django_contrib_auth(
    run_project, scratch_database
):
    db = scratch_database("noauth")

    def manage(*args):
        return _ok(run_project(NO_AUTH, *args, db=db))

    assert "no issues" in manage("check").stdout
    manage("migrate", "--no-input")
    manage("shell", "-c", ENQUEUE)
    for model in ("IndependentJob", "FifoJob", "KeyedJob"):
        assert (
            "processed"
            in manage("process_queue", "jobs", model, "--until-empty").stdout
        )
    assert _last_json_line(manage("shell", "-c", STATUSES).stdout) == {
        "IndependentJob": {"PROCESSED": 5, "FAILED": 1},
        "FifoJob": {"PROCESSED": 3},
        "KeyedJob": {"PROCESSED": 4},
    }
    cleaned = manage("clean_old_processed_jobs", "--all-queues", "--dry-run")
    assert "jobs.IndependentJob: would delete 0 processed jobs" in cleaned.stdout


def test_check_names_the_missing_worker_app(run_project):
    result = _ok(run_project(ONLY_CORE, "check"))
    output = result.stdout + result.stderr
    assert "parviraptor.W005" in output
    assert '"parviraptor.worker" is not in INSTALLED_APPS' in output
    assert "process_queue" in output


def test_check_is_quiet_with_the_worker_app(run_project):
    result = _ok(run_project(NO_AUTH, "check"))
    assert "W005" not in result.stdout + result.stderr


def test_without_the_worker_app_process_queue_is_unknown(run_project):
    result = run_project(ONLY_CORE, "process_queue", "jobs", "IndependentJob")
    assert result.returncode != 0
    assert "Unknown command: 'process_queue'" in result.stderr


WORKER_IMPORTS = """
import json
from django.apps import apps
errors = []
for name in ("parviraptor.worker.models", "parviraptor.worker.loop"):
    try:
        __import__(name)
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
from parviraptor import worker
try:
    worker.QueueWorker
except Exception as exc:
    errors.append(f"{type(exc).__name__}: {exc}")
labels = sorted({model._meta.label for model in apps.get_models(include_auto_created=True)})
print(json.dumps({"errors": errors, "labels": labels}))
"""


def test_without_the_worker_app_its_models_fail_loudly(run_project):
    """Never filed under the label ``parviraptor`` (the containing app)."""
    found = _last_json_line(
        _ok(run_project(ONLY_CORE, "shell", "-c", WORKER_IMPORTS)).stdout
    )
    assert len(found["errors"]) == 3
    for error in found["errors"]:
        assert error.startswith("ImproperlyConfigured: ")
        assert '"parviraptor.worker" in INSTALLED_APPS' in error
    assert not [label for label in found["labels"] if label.startswith("parviraptor")]


def test_with_the_worker_app_its_models_have_their_own_label(run_project):
    found = _last_json_line(
        _ok(run_project(NO_AUTH, "shell", "-c", WORKER_IMPORTS)).stdout
    )
    assert found["errors"] == []
    worker_labels = [
        label for label in found["labels"] if label.startswith("parviraptor")
    ]
    assert worker_labels == [
        "parviraptor_worker.QueueLock",
        "parviraptor_worker.WorkerHeartbeat",
    ]
