"""The console speaks zh-CN first; English is the second language.

Templates are written in Chinese and pass each phrase through `t(...)`: in Chinese the phrase is
its own translation, in English it is looked up here (a missing entry shows the Chinese, never a
blank). Services add their own phrases with `add_phrases`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from starlette.requests import Request

LANG_COOKIE = "redpark_lang"
LANGUAGES = ("zh-CN", "en")

_EN: dict[str, str] = {
    "红色园区": "Red Park",
    "党建工作平台": "Party-building platform",
    "仪表盘": "Dashboard",
    "组织": "Organization",
    "学习教育": "Education",
    "服务企业": "Enterprise support",
    "公共活动": "Public events",
    "登录": "Sign in",
    "退出": "Sign out",
    "用户名": "User name",
    "密码": "Password",
    "历史记录": "History",
    "时间": "Time",
    "操作人": "By",
    "事件": "Event",
    "内容": "Details",
    "系统": "System",
    "暂无记录": "Nothing recorded yet",
    "上一页": "Previous",
    "下一页": "Next",
    "保存": "Save",
    "提交": "Submit",
    "取消": "Cancel",
    "返回": "Back",
    "搜索": "Search",
    "导出 Excel": "Export to Excel",
    "没有权限": "Not allowed",
    "你的账号没有查看此页面的权限。": "Your account may not see this page.",
    "页面不存在": "Page not found",
    "出错了": "Something went wrong",
    "请检查下列内容": "Please check the following",
    "共": "Total",
    "条": "",
}


def add_phrases(english: Mapping[str, str]) -> None:
    """A service's own phrases (Chinese → English)."""
    _EN.update(english)


def language(request: Request) -> str:
    """`?lang=en` wins (and the console remembers it in a cookie), then the cookie, then zh-CN."""
    wanted = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "zh-CN"
    return wanted if wanted in LANGUAGES else "zh-CN"


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return lambda phrase: _EN.get(phrase) or phrase
    return lambda phrase: phrase
