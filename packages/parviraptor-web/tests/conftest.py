"""Fixtures of parviraptor-web's tests: users, clients and jobs in any state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parviraptor.models import AbstractJob, JobStatus

PASSWORD = "correct horse battery staple"


@pytest.fixture
def password() -> str:
    """The password of ``staff_user`` and ``plain_user``."""
    return PASSWORD


@pytest.fixture
def staff_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(
        "operator", password=PASSWORD, is_staff=True
    )


@pytest.fixture
def plain_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("visitor", password=PASSWORD)


@pytest.fixture
def staff_client(staff_user: Any) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def plain_client(plain_user: Any) -> Client:
    client = Client()
    client.force_login(plain_user)
    return client


@pytest.fixture
def csrf_client(staff_user: Any) -> Client:
    """A staff client that, like a browser, must send the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    return client


MakeJob = Callable[..., AbstractJob]


def _make_job(
    job_class: type[AbstractJob],
    status: str = JobStatus.NEW,
    age: timedelta | None = None,
    modified_ago: timedelta | None = None,
    **fields: Any,
) -> AbstractJob:
    """A job in ``status``; ``age``/``modified_ago`` backdate it (auto_now aside)."""
    job = job_class._default_manager.create(status=status, **fields)
    changes: dict[str, Any] = {}
    now = timezone.now()
    if age is not None:
        changes["creation_date"] = now - age
    if modified_ago is not None:
        changes["modification_date"] = now - modified_ago
    if changes:
        job_class._default_manager.filter(pk=job.pk).update(**changes)
        job.refresh_from_db()
    return job


@pytest.fixture
def make_job(db: None) -> MakeJob:
    """``make_job(JobClass, status=..., age=..., **fields)``."""
    return _make_job
