"""Server-rendered pages with the platform's shared look (Jinja2 templates, one stylesheet).

Each service owns its pages: it builds one `Console` with its own templates folder, and its page
routes render templates that extend `console/base.html` (staff) or `console/public.html` (the
public). The embedded default serves every service behind one address (`/<service>/...`), so
links are made from the request's root path: `root` is this service, `site` the whole platform.

    console = Console("organization", Path(__file__).parent / "templates")
    Staff = Annotated[Principal, page_roles("park_admin", "auditor")]

    @router.get("/ui/", include_in_schema=False)
    async def home(request: Request, who: Staff) -> HTMLResponse:
        return console.render(request, "org/home.html", figures=...)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..errors import DomainError
from ..masking import mask_phone
from ..web.auth import ROLES, Forbidden, Principal, Unauthenticated, current_principal, request_token
from ..web.problems import HTTP_ZH
from .i18n import LANG_COOKIE, language, translator

STATIC_PATH = "/static/console"
STATIC_DIR = Path(__file__).parent / "static"
DEFAULT_ZONE = "Asia/Shanghai"

# The platform's sections, shown in every staff page's navigation; each entry is the service's
# name (its path prefix behind the one address) and its title.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("organization", "组织"),
    ("education", "学习教育"),
    ("enterprise-support", "服务企业"),
    ("events-public", "公共活动"),
)


class SignInRequired(Exception):
    """Raised by a page dependency when nobody (or an expired session) is signed in."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class PageForbidden(Exception):
    def __init__(self, detail_zh: str) -> None:
        super().__init__(detail_zh)
        self.detail_zh = detail_zh


def roots(request: Request) -> tuple[str, str]:
    """(`root`: this service's prefix, `site`: the platform's) from the ASGI root path."""
    root = (request.scope.get("root_path") or "").rstrip("/")
    service = getattr(request.app.state, "service", "")
    site = root[: -len(service) - 1] if service and root.endswith("/" + service) else root
    return root, site


def _fen(amount: int | None) -> str:
    return "" if amount is None else f"{amount / 100:,.2f}"


def _percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


class Console:
    """The Jinja2 environment of one service's pages: its templates first, then the shared ones."""

    def __init__(self, service: str, templates: Path | None = None, *, zone: str = DEFAULT_ZONE) -> None:
        loaders: list[Any] = [FileSystemLoader(str(templates))] if templates else []
        loaders.append(PackageLoader("redpark_platform.console", "templates"))
        self.service = service
        self.zone = ZoneInfo(zone)
        self.env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True),
                               trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(
            fen=_fen, percent=_percent, mask_phone=mask_phone, local=self._local, day=self._day)

    def _local(self, value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        """An instant in the park's time zone (stored and sent in UTC)."""
        if value is None:
            return ""
        return (value.astimezone(self.zone) if value.tzinfo else value).strftime(fmt)

    @staticmethod
    def _day(value: date | None) -> str:
        return "" if value is None else value.isoformat()

    def context(self, request: Request, **values: Any) -> dict[str, Any]:
        root, site = roots(request)
        lang = language(request)
        principal: Principal | None = getattr(request.state, "principal", None)
        return {
            "request": request, "root": root, "site": site, "static": root + STATIC_PATH,
            "lang": lang, "t": translator(lang), "principal": principal, "service": self.service,
            "sections": SECTIONS, "path": request.url.path, **values,
        }

    def render(self, request: Request, template: str, *, status: int = 200,
               headers: Mapping[str, str] | None = None, **values: Any) -> HTMLResponse:
        page = self.env.get_template(template).render(self.context(request, **values))
        # Pages show people's names and phones: never kept by the browser or a proxy, so Back
        # after signing out shows nothing (a page may still say otherwise in `headers`).
        response = HTMLResponse(page, status_code=status, headers={"Cache-Control": "no-store", **(headers or {})})
        if "lang" in request.query_params and request.query_params["lang"] == language(request):
            response.set_cookie(LANG_COOKIE, language(request), max_age=365 * 86400, samesite="lax")
        return response

    def redirect(self, request: Request, path: str) -> RedirectResponse:
        """After a form POST: 303 to a page of this service (`path` relative to its root)."""
        root, _ = roots(request)
        return RedirectResponse(root + path, status_code=303)


def page_roles(*roles: str) -> Any:
    """A page dependency: the signed-in Principal holding one of `roles` (any staff role if none).

    Nobody signed in → a redirect to the sign-in page (and back here afterwards); the wrong role →
    a page saying so, in Chinese. Auditors read pages but their POSTs are refused, as in the API.
    """
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s) {', '.join(unknown)}")
    wanted = frozenset(roles or ROLES)

    async def dependency(request: Request) -> Principal:
        try:
            if request_token(request) is None:
                raise Unauthenticated("no session", "请先登录")
            principal = await current_principal(request, None)
        except Unauthenticated:
            _, site = roots(request)
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise SignInRequired(f"{site}/login?next={quote(here)}") from None
        except Forbidden as refused:
            raise PageForbidden(refused.detail_zh) from None
        held = set(principal.roles)
        if request.method not in ("GET", "HEAD"):
            held.discard("auditor")
        if held.isdisjoint(wanted):
            raise PageForbidden("你的账号没有查看此页面的权限。")
        return principal

    dependency.__name__ = f"page_{'_or_'.join(sorted(roles)) or 'staff'}"
    return Depends(dependency)


def install_console(app: Any) -> None:
    """Serve the shared stylesheet and scripts, and turn page refusals into pages."""
    from starlette.staticfiles import StaticFiles

    app.mount(STATIC_PATH, StaticFiles(directory=str(STATIC_DIR)), name="console-static")
    shared = Console(getattr(app.state, "service", ""))

    async def sign_in(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequired)
        return RedirectResponse(exc.next_url, status_code=303)

    async def forbidden(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageForbidden)
        return shared.render(request, "console/message.html", status=403, heading="没有权限",
                             message=exc.detail_zh)

    app.add_exception_handler(SignInRequired, sign_in)
    app.add_exception_handler(PageForbidden, forbidden)

    # A browser that follows a stale link (an unknown path, an expired export, a refused page)
    # gets a page in Chinese with a way back; an API client keeps getting problem+json.
    for kind in (StarletteHTTPException, DomainError):
        as_problem = app.exception_handlers[kind]

        async def problem_or_page(request: Request, exc: Exception, as_problem: Any = as_problem) -> Response:
            answer: Response = await as_problem(request, exc)
            if not wants_html(request) or answer.status_code < 400:
                return answer
            detail = getattr(exc, "detail_zh", None) or PAGE_MESSAGES.get(answer.status_code) or "请求无法完成。"
            kept = {k: v for k, v in answer.headers.items() if k.lower() in ("allow", "retry-after")}
            return shared.render(request, "console/message.html", status=answer.status_code,
                                 heading=HTTP_ZH.get(answer.status_code, "请求无法完成"), message=detail,
                                 headers=kept)

        app.add_exception_handler(kind, problem_or_page)


PAGE_MESSAGES = {
    404: "没有这个页面：链接可能有误，或已经过期。",
    405: "这个页面不能这样打开。",
}


def wants_html(request: Request) -> bool:
    """A browser navigating (it asks for text/html first); API clients ask for JSON or anything."""
    accept = request.headers.get("accept", "")
    return request.method in ("GET", "HEAD") and "text/html" in accept.split(",", 1)[0]


FormErrors = dict[str, str]  # field name → the message shown beside it (Chinese)
Check = Callable[[str], str | None]
