"""The console's shared look: templates, stylesheet, sign-in-aware page dependencies, history."""

from .history import HistoryEntry, stream_history
from .i18n import add_phrases, language, translator
from .pages import SECTIONS, Console, FormErrors, PageForbidden, SignInRequired, install_console, page_roles, roots

__all__ = [
    "SECTIONS", "Console", "FormErrors", "HistoryEntry", "PageForbidden", "SignInRequired", "add_phrases",
    "install_console", "language", "page_roles", "roots", "stream_history", "translator",
]
