"""Demo-only tuning of the shop, installed by ``shop_project.demo_settings``.

It makes the shop's failures visible within seconds instead of minutes (a
short constant backoff), simulates a flaky supplier and a greylisting mail
server, and registers the job queues in the admin. The shop's own settings
and tests never install it.
"""
