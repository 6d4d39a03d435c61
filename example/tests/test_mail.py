"""E-mails: independent jobs, sent through Django's locmem backend in tests."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import TestCase

from parviraptor.test.worker import InfinityLoopFreeQueueWorker

from shop.models import MailJob


@pytest.mark.django_db
def test_mails_are_sent(drain_queue, mailoutbox) -> None:
    for n in range(3):
        MailJob.objects.create(recipient=f"c{n}@example.com", subject="Shipped")
    bad = MailJob.objects.create(recipient="not an address", subject="Shipped")

    summary = drain_queue(MailJob)

    assert sorted(m.to[0] for m in mailoutbox) == [
        "c0@example.com",
        "c1@example.com",
        "c2@example.com",
    ]
    assert summary.count("PROCESSED") == 3
    assert [(job.pk, job.error_message) for job in summary.failed] == [
        (bad.pk, "'not an address' is no e-mail address")
    ]


@pytest.mark.django_db(transaction=True)
def test_many_mails_with_parallel_workers(drain_queue, mailoutbox) -> None:
    MailJob.objects.bulk_create(
        MailJob(recipient=f"c{n}@example.com", subject="News") for n in range(20)
    )
    assert drain_queue(MailJob, workers=4).counts == {"PROCESSED": 20}
    assert len(mailoutbox) == 20


class MailInsideDjangoTestCase(TestCase):
    """Django's own TestCase: the worker runs inside the test's transaction."""

    def test_send(self) -> None:
        MailJob.objects.create(recipient="a@example.com", subject="Hello")
        InfinityLoopFreeQueueWorker(MailJob).run()
        self.assertEqual([m.subject for m in mail.outbox], ["Hello"])
