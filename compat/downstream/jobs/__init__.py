"""The downstream project's job queues (one model per queue)."""
