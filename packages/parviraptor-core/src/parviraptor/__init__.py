"""parviraptor: database-backed job queues for Django, one model per queue.

This root package belongs to ``parviraptor-core``. The other distributions
(``parviraptor-worker``, ``parviraptor-web``, ``parviraptor-testing``) add
their subpackages to the same ``parviraptor`` namespace; ``extend_path`` lets
them live in separate directories (editable installs, ``src/`` layouts).
"""

from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

__version__ = "0.1.0"
__all__ = ["__version__"]
