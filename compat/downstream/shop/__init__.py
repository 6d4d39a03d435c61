"""A downstream project written against the original parviraptor's API."""
