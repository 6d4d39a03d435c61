"""A queue configured as tests often do: retry temporary failures at once."""

from django.db import models

from parviraptor.models import AbstractJobFactory


class ImmediateRetryJob(AbstractJobFactory.make_base_class(None)):
    BACKOFF_STEP_MINUTES = 0

    tag = models.CharField(max_length=32)

    def __str__(self):
        return self.tag

    def process(self):
        pass
