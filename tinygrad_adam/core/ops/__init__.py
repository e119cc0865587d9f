"""The ops by kind, each forward beside its backward; `ops.Add`, `ops.Sum`, ... name them all."""

from .elementwise import *  # noqa: F403
from .indexing import *  # noqa: F403
from .linalg import *  # noqa: F403
from .reduction import *  # noqa: F403
from .shape import *  # noqa: F403
