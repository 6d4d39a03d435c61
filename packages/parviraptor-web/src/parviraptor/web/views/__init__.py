"""The views of ``parviraptor.urls``: one module per page, one for the actions."""
