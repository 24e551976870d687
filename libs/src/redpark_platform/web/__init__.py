"""The HTTP edge every Red Park service uses: `create_app` and the pieces it installs."""

from .app import create_app
from .auth import CurrentPrincipal, Principal, ensure_branch, mint_token, require_roles
from .bodies import Body, MsgspecResponse, response_schema
from .idempotency import Idempotent
from .problems import Problem

__all__ = [
    "Body", "CurrentPrincipal", "Idempotent", "MsgspecResponse", "Principal", "Problem", "create_app",
    "ensure_branch", "mint_token", "require_roles", "response_schema",
]
