"""Job models of parviraptor's test-suites."""
