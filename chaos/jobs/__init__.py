"""Job queues of the chaos run (app label ``chaos_jobs``)."""
