"""The Django project that parviraptor's test-suites run in."""
