"""Read-only queries behind the pages: a bounded number per queue."""
