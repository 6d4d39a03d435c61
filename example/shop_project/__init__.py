"""An example shop using parviraptor job queues (see ../README.md)."""
