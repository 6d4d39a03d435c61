"""The shop's job queues in the admin (with parviraptor-web's ``JobAdmin``)."""

from django.conf import settings
from django.contrib import admin

from shop.models import LedgerJob, MailJob, ProductSyncJob

if settings.WEB_INSTALLED:
    from parviraptor.web.admin import JobAdmin

    for job_class in (ProductSyncJob, MailJob, LedgerJob):
        admin.site.register(job_class, JobAdmin)
