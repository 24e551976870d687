"""The HTTP edge every Red Park service uses: `create_app` and the pieces it installs."""

from .app import create_app
from .auth import CurrentPrincipal, Principal, ensure_branch, mint_token, readable_branch, require_roles
from .bodies import Body, MsgspecResponse, response_schema
from .edge import Accepted, After, Dated, ReadYourWrites, accepted, layer_of
from .idempotency import Idempotent
from .problems import Problem

__all__ = [
    "Accepted", "After", "Body", "CurrentPrincipal", "Dated", "Idempotent", "MsgspecResponse", "Principal", "Problem",
    "ReadYourWrites", "accepted", "create_app", "ensure_branch", "layer_of", "mint_token", "readable_branch",
    "require_roles", "response_schema",
]
