"""Projects set up unlike the test project, each a subprocess of its own.

- Upgraded from the original with only ``"parviraptor"`` installed: the
  system check names the missing ``"parviraptor.worker"``, and the worker's
  models never end up under a foreign app label.
"""

from __future__ import annotations

import json

JOB_APP = "testproject.jobs"
NO_AUTH = ["django.contrib.contenttypes", "parviraptor", "parviraptor.worker", JOB_APP]
ONLY_CORE = ["django.contrib.contenttypes", "parviraptor", JOB_APP]


def _ok(result):
    assert result.returncode == 0, f"rc {result.returncode}\n{result.stderr}"
    return result


def _last_json_line(stdout: str):
    return json.loads(stdout.strip().splitlines()[-1])


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
