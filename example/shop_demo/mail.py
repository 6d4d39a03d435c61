"""An e-mail backend that greylists, as many real mail servers do.

The first delivery to a recipient in a greylisted domain is refused with
"451 try again later" (raised as a temporary failure, so the job is retried
after its backoff); the next attempt from the same worker process is
accepted. Accepted messages are discarded.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from parviraptor.exceptions import TemporaryJobFailure

_already_tried: set[str] = set()


class GreylistingBackend(BaseEmailBackend):
    """Refuses the first message to each greylisted recipient, accepts the rest."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        domains = set(getattr(settings, "SHOP_DEMO_GREYLISTED_DOMAINS", ()))
        for message in email_messages:
            for recipient in message.recipients():
                domain = recipient.rpartition("@")[2].lower()
                if domain in domains and recipient not in _already_tried:
                    _already_tried.add(recipient)
                    raise TemporaryJobFailure(
                        f"451 {recipient}: greylisted, try again later"
                    )
        return len(email_messages)
