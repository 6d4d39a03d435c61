"""An app whose job retries at once (``BACKOFF_STEP_MINUTES = 0``)."""
