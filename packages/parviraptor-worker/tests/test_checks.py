"""The worker's settings check (parviraptor_worker.E001)."""

from __future__ import annotations

import pytest

from parviraptor.worker.checks import check_worker_settings


def ids(errors):
    return [error.id for error in errors]


def test_the_test_settings_pass():
    assert check_worker_settings() == []


@pytest.mark.parametrize(("interval", "timeout"), [(30, 60), (10, 10), (5, 2)])
def test_an_interval_of_half_the_timeout_or_more_is_an_error(
    settings, interval, timeout
):
    settings.PARVIRAPTOR_HEARTBEAT_INTERVAL = interval
    settings.PARVIRAPTOR_HEARTBEAT_TIMEOUT = timeout
    errors = check_worker_settings()
    assert ids(errors) == ["parviraptor_worker.E001"]
    assert "less than half of PARVIRAPTOR_HEARTBEAT_TIMEOUT" in errors[0].msg


@pytest.mark.parametrize("value", [0, -1, "soon"])
def test_a_duration_that_is_no_positive_number_is_an_error(settings, value):
    settings.PARVIRAPTOR_POLL_INTERVAL = value
    errors = check_worker_settings()
    assert ids(errors) == ["parviraptor_worker.E001"]
    assert errors[0].msg.startswith("PARVIRAPTOR_POLL_INTERVAL: ")


def test_the_check_runs_with_manage_py_check(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.PARVIRAPTOR_HEARTBEAT_INTERVAL = 60
    with pytest.raises(SystemCheckError, match=r"parviraptor_worker\.E001"):
        call_command("check")
