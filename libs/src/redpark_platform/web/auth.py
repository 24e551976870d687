"""Staff authentication: JWT bearer tokens (HS256) and role checks.

Roles (DESIGN.md): park_admin, branch_secretary (scoped to the branch in its `branch_id` claim),
education_officer, support_officer, events_officer, auditor (read-only: GET routes only).
Public routes simply take no auth dependency.

    Admin = Annotated[Principal, require_roles("park_admin")]

    @router.post("/branches")
    async def open_branch(who: Admin) -> ...
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import jwt
import msgspec
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..actor import set_actor
from ..errors import DomainError
from ..settings import JwtSource, check_jwt_secret

ROLES = (
    "park_admin", "branch_secretary", "education_officer", "support_officer", "events_officer", "auditor",
)
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALGORITHM = "HS256"
ISSUER = "redpark"
# An access token is short: what a removed, disabled or re-passworded account still holds dies
# within minutes even where the token version cannot be checked (a tool's minted token).
DEFAULT_TTL = timedelta(minutes=15)
# The console's sign-in: the renewal cookie lasts the working day, the access cookie 15 minutes.
SESSION_TTL = timedelta(hours=12)
# The console's sign-in sets the same JWT as an HttpOnly cookie, so pages served by any service
# behind the one address know the signed-in person.
SESSION_COOKIE = "redpark_session"
# The gateway alone reads this one: a token of purpose "renew", from which it mints the next
# access token while the account's token version still holds. No service accepts it.
RENEW_COOKIE = "redpark_renew"
ACCESS = "access"
RENEW = "renew"
TOKEN_VERSIONS_FILE_NAME = "token-versions.json"
# Tokens minted a few seconds apart on machines whose clocks differ a little still verify.
LEEWAY = timedelta(seconds=30)


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    subject: str
    name: str = ""
    roles: tuple[str, ...] = ()
    branch_id: str | None = None
    # The account's token version when signed in with an account; None for a minted tool token.
    version: int | None = None

    def has_any(self, roles: Iterable[str]) -> bool:
        return not set(roles).isdisjoint(self.roles)

    def may_act_for_branch(self, branch_id: str) -> bool:
        """Park-wide roles cover every branch; a branch secretary only its own."""
        if self.has_any(r for r in ROLES if r != "branch_secretary"):
            return True
        return "branch_secretary" in self.roles and self.branch_id == branch_id


class Unauthenticated(DomainError):
    status = 401
    headers = {"WWW-Authenticate": 'Bearer realm="redpark"'}

    def __init__(self, detail: str, detail_zh: str, *, reason: str = "invalid_token") -> None:
        super().__init__("auth.unauthenticated", detail, detail_zh=detail_zh)
        self.headers = {"WWW-Authenticate": f'Bearer realm="redpark", error="{reason}"'}


class Forbidden(DomainError):
    status = 403

    def __init__(self, detail: str, detail_zh: str) -> None:
        super().__init__("auth.forbidden", detail, detail_zh=detail_zh)


# --- the signing secret ---------------------------------------------------------------------------

def load_or_create_key(path: Path) -> str:
    """The secret in `path`, generated there on first use (embedded default), readable only by us."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another process of the park started at the same moment and wrote it first.
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key + "\n")
    return key


def signing_secret(source: JwtSource) -> str:
    if source.secret:
        return check_jwt_secret(source.secret, "REDPARK_JWT_SECRET")
    return check_jwt_secret(load_or_create_key(source.key_file), str(source.key_file))


def app_secret(request: Request) -> str:
    """The app's secret: given to `create_app`, else from `app.state.settings`, else the environment."""
    state = request.app.state
    secret: str | None = getattr(state, "jwt_secret", None)
    if not secret:
        # The runtime keeps its Settings on the app; without them, the environment says.
        settings = getattr(state, "settings", None)
        source = getattr(settings, "jwt", None)
        secret = signing_secret(source if isinstance(source, JwtSource) else JwtSource.from_env())
        state.jwt_secret = secret
    return secret


# --- tokens ---------------------------------------------------------------------------------------

def mint_token(
    secret: str, subject: str, roles: Sequence[str], branch_id: str | None = None, *,
    name: str = "", ttl: timedelta = DEFAULT_TTL, now: datetime | None = None, version: int | None = None,
    purpose: str = ACCESS,
) -> str:
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s) {', '.join(unknown)}; roles are {', '.join(ROLES)}")
    if "branch_secretary" in roles and not branch_id:
        raise ValueError("a branch_secretary token needs the branch it is scoped to (branch_id)")
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": ISSUER, "sub": subject, "name": name, "roles": list(roles),
        "iat": issued, "nbf": issued, "exp": issued + ttl,
    }
    if branch_id:
        claims["branch_id"] = branch_id
    if version is not None:
        claims["ver"] = version
    if purpose != ACCESS:
        claims["use"] = purpose
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_token(secret: str, token: str, purpose: str = ACCESS) -> Principal:
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], issuer=ISSUER, leeway=LEEWAY,
            options={"require": ["exp", "sub", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("the token has expired", "登录已过期，请重新登录") from None
    except jwt.InvalidTokenError:
        raise Unauthenticated("the token is not valid", "登录凭证无效") from None
    if claims.get("use", ACCESS) != purpose:
        raise Unauthenticated(f"the token is not an {purpose} token", "登录凭证无效")
    version = claims.get("ver")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise Unauthenticated("the token's version claim is not a number", "登录凭证无效")
    roles = claims.get("roles", [])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise Unauthenticated("the token's roles claim is not a list of roles", "登录凭证无效")
    branch_id = claims.get("branch_id")
    if "branch_secretary" in roles and not isinstance(branch_id, str):
        raise Unauthenticated("a branch secretary's token must name its branch", "登录凭证缺少所属支部")
    return Principal(subject=str(claims["sub"]), name=str(claims.get("name", "")),
                     roles=tuple(r for r in roles if r in ROLES), branch_id=branch_id, version=version)


# --- the token versions: access that can be taken back -------------------------------------------

class TokenVersions:
    """The current token version of every usable account, from the file the account store writes
    beside itself (`token-versions.json`: `{"versions": {"username": 3}}`).

    Each request costs one `stat`; the file is read again only when it changed, so a `passwd`,
    `disable` or `remove` ends that account's tokens on the very next request of every service
    without anyone calling the gateway. A missing file means no account is usable: a token that
    names a version is refused (fail closed); a tool's token without one is not an account's.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int] | None = None
        self._versions: dict[str, int] = {}

    def current(self) -> dict[str, int]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._seen, self._versions = None, {}
            return self._versions
        key = (stat.st_mtime_ns, stat.st_size)
        if key != self._seen:
            self._versions = msgspec.json.decode(self.path.read_bytes(), type=_VersionsFile).versions
            self._seen = key
        return self._versions

    def holds(self, principal: Principal) -> bool:
        if principal.version is None:
            return True
        return self.current().get(principal.subject) == principal.version


class _VersionsFile(msgspec.Struct, kw_only=True):
    versions: dict[str, int] = {}


def app_token_versions(request: Request) -> TokenVersions:
    state = request.app.state
    versions: TokenVersions | None = getattr(state, "token_versions", None)
    if versions is None:
        settings = getattr(state, "settings", None)
        data_dir = getattr(settings, "data_dir", None)
        folder = Path(data_dir) if data_dir is not None else JwtSource.from_env().key_file.parent
        versions = state.token_versions = TokenVersions(folder / TOKEN_VERSIONS_FILE_NAME)
    return versions


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def session_token(request: Request) -> str | None:
    """The console's sign-in cookie. A cookie rides along on requests other sites start, so a
    cookie-authenticated change must come from a page of this same site (Origin or Referer)."""
    token = request.cookies.get(SESSION_COOKIE, "").strip()
    if not token:
        return None
    if request.method not in READ_ONLY_METHODS and not _same_origin(request):
        raise Forbidden("a change made with the sign-in cookie must come from this site's own pages",
                        "请求来源不是本站页面，已拒绝")
    return token


def _same_origin(request: Request) -> bool:
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    host = request.headers.get("x-forwarded-host") or request.headers.get("host") or ""
    _, _, rest = source.partition("://")
    return bool(host) and rest.split("/", 1)[0] == host


def request_token(request: Request) -> str | None:
    """A bearer token first (API clients), else the console's sign-in cookie."""
    return bearer_token(request) or session_token(request)


# Declared so OpenAPI shows which routes need a token; the check itself is ours (problem+json 401).
_bearer_scheme = HTTPBearer(auto_error=False, scheme_name="bearer", bearerFormat="JWT",
                            description="A staff token, e.g. from `redpark-mint-token`.")


async def current_principal(
    request: Request, _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)],
) -> Principal:
    token = request_token(request)
    if token is None:
        raise Unauthenticated("this route needs a bearer token", "请先登录", reason="invalid_request")
    principal = decode_token(app_secret(request), token)
    if not app_token_versions(request).holds(principal):
        raise Unauthenticated("access of this account was taken back (removed, disabled or a new password)",
                              "该账号的访问已被收回，请重新登录")
    request.state.principal = principal
    set_actor(principal.subject)  # the store records it with the events this request appends
    return principal


async def optional_principal(request: Request) -> Principal | None:
    """The caller when a valid token came with the request; None on public routes without one."""
    if bearer_token(request) is None and not request.cookies.get(SESSION_COOKIE):
        return None
    return await current_principal(request, None)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: str) -> Any:
    """A dependency giving the Principal when it holds one of `roles` (any staff role when none).

    The auditor's role only counts on read-only methods, so an auditor reads everything it is
    allowed to and changes nothing.
    """
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s) {', '.join(unknown)}")
    wanted = frozenset(roles or ROLES)

    async def dependency(request: Request, principal: CurrentPrincipal) -> Principal:
        held = set(principal.roles)
        if request.method not in READ_ONLY_METHODS:
            held.discard("auditor")
        if held.isdisjoint(wanted):
            raise Forbidden(
                f"this action needs one of the roles: {', '.join(sorted(wanted))}", "没有执行此操作的权限")
        # Only the roles this route accepts act here: a token that is branch secretary and
        # auditor (or another park-wide role the route does not take) stays in its branch.
        return msgspec.structs.replace(principal, roles=tuple(r for r in principal.roles if r in held & wanted))

    dependency.__name__ = f"require_{'_or_'.join(sorted(roles)) or 'staff'}"
    return Depends(dependency)


def ensure_branch(principal: Principal, branch_id: str | None) -> None:
    """Refuse a branch secretary acting on a branch other than its own (or on no branch at all:
    a person who left every branch belongs to the park's records, not to a secretary's)."""
    if not principal.may_act_for_branch(branch_id or ""):
        raise Forbidden(f"this token is scoped to another branch than {branch_id}", "只能操作本支部的数据")


def readable_branch(principal: Principal, branch_id: str | None) -> str | None:
    """The branch a read covers: what a park-wide reader asked for (None: every branch), and a
    branch secretary's own branch whether it asked for none or for its own; another is refused.

    The principal's roles are those the route accepts (`require_roles` narrows them), so an
    officer's role that this route does not take does not widen a secretary's view.
    """
    if principal.has_any(r for r in ROLES if r != "branch_secretary"):
        return branch_id
    branch_id = branch_id or principal.branch_id or ""
    ensure_branch(principal, branch_id)
    return branch_id


# --- the console script ---------------------------------------------------------------------------

def mint_token_cli(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    """`redpark-mint-token --role park_admin [--branch B] [--name N] [--key-file F] [--minutes 15 | --hours 12]`."""
    parser = argparse.ArgumentParser(prog="redpark-mint-token", description="Print a staff bearer token.")
    parser.add_argument("--role", action="append", required=True, choices=ROLES,
                        help="a role to grant; repeat for several")
    parser.add_argument("--branch", help="the branch a branch_secretary is scoped to")
    parser.add_argument("--name", default="", help="the person's display name")
    parser.add_argument("--subject", help="the token's subject (default: the role and branch)")
    parser.add_argument("--key-file", type=Path,
                        help="the signing key file (default: REDPARK_JWT_SECRET, REDPARK_JWT_KEY_FILE "
                             "or <REDPARK_DATA_DIR>/jwt.key)")
    lifetime = parser.add_mutually_exclusive_group()
    lifetime.add_argument("--minutes", type=float, default=DEFAULT_TTL.total_seconds() / 60,
                          help="how long the token lasts (default: 15, as a signed-in person's)")
    lifetime.add_argument("--hours", type=float,
                          help="a longer life, for a service account's token (it cannot be taken back "
                               "before it ends but by changing the signing key)")
    args = parser.parse_args(argv)
    ttl = timedelta(hours=args.hours) if args.hours is not None else timedelta(minutes=args.minutes)
    if ttl <= timedelta(0):
        parser.error("--minutes/--hours must be positive")
    subject = args.subject or ":".join(filter(None, [args.role[0], args.branch]))
    try:
        secret = (check_jwt_secret(load_or_create_key(args.key_file), str(args.key_file)) if args.key_file
                  else signing_secret(JwtSource.from_env()))
        token = mint_token(secret, subject, args.role, args.branch, name=args.name, ttl=ttl)
    except ValueError as exc:
        print(f"redpark-mint-token: {exc}", file=sys.stderr)
        return 2
    out(token)
    return 0
