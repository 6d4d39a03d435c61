"""Job models written against the original parviraptor's docstrings.

Each kind of queue, with and without a Meta of its own (a Meta derived from
the base's inherits 4.x's index, one of its own does not), and a queue
deriving from ``AbstractJob`` directly with ``dependent_fields`` of its own.
Only names the original has are used: the original's ``makemigrations`` must
be able to import this module.
"""

from django.db import models

from parviraptor.models import AbstractJobFactory
from parviraptor.models.abstract import AbstractJob


class KeyedSyncJob(AbstractJobFactory.make_base_class(["shop"])):
    shop = models.IntegerField()
    result = models.TextField(blank=True, default="")

    def process(self):
        self.result = f"synced shop {self.shop}"


class MailJob(AbstractJobFactory.make_base_class(None)):
    recipient = models.CharField(max_length=100)

    class Meta:
        verbose_name = "mail job"

    def __str__(self):
        return self.recipient

    def process(self):
        pass


LedgerJobBase = AbstractJobFactory.make_base_class([])


class LedgerJob(LedgerJobBase):
    amount = models.IntegerField(default=0)

    class Meta(LedgerJobBase.Meta):
        verbose_name_plural = "ledger"

    def process(self):
        pass


class DirectJob(AbstractJob):
    dependent_fields = ["shop"]
    shop = models.IntegerField()

    def process(self):
        pass
