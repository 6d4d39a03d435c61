"""Job queues of every kind the original offers.

``IndependentJob`` (no order), ``FifoJob`` (one strict FIFO queue, ``[]``),
``KeyedJob`` (FIFO per shop and product), ``GatedJob`` (not processable
while a ``Gate`` is closed), ``HangJob`` (for the killed-worker scenario),
``DirectJob`` (derived from ``AbstractJob`` directly, with its own
``dependent_fields``, as some projects do).
"""

from django.db import models

from jobs.behaviour import perform
from parviraptor.models import AbstractJobFactory
from parviraptor.models.abstract import AbstractJob


class Performs:
    """``process()`` by ``kind``; first among the bases, so that the job base
    class comes next and its ``Meta`` (the original's indexes) is inherited."""

    def process(self):
        perform(self)


class JobFields(models.Model):
    """The fields the scenarios use."""

    tag = models.CharField(max_length=32)
    kind = models.CharField(max_length=16, default="ok")
    a = models.IntegerField(default=0)
    b = models.IntegerField(default=0)
    fail_times = models.IntegerField(default=0)
    result = models.IntegerField(null=True)
    note = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        abstract = True

    def __str__(self):
        return self.tag


class IndependentJob(Performs, AbstractJobFactory.make_base_class(None), JobFields):
    pass


class FifoJob(Performs, AbstractJobFactory.make_base_class([]), JobFields):
    pass


class KeyedJob(
    Performs, AbstractJobFactory.make_base_class(["shop", "product"]), JobFields
):
    shop = models.CharField(max_length=16)
    product = models.CharField(max_length=16)


class Gate(models.Model):
    """A switch of the outside world that ``GatedJob.is_processable`` reads."""

    closed = models.BooleanField(default=False)

    def __str__(self):
        return "closed" if self.closed else "open"


class GatedJob(Performs, AbstractJobFactory.make_base_class(None), JobFields):
    def is_processable(self):
        return not Gate.objects.filter(closed=True).exists()


class HangJob(Performs, AbstractJobFactory.make_base_class([]), JobFields):
    pass


class DirectJob(Performs, AbstractJob, JobFields):
    dependent_fields = ["shop"]

    shop = models.CharField(max_length=16)
