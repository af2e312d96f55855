"""Identifiers never in URLs: a search for a NIK/NIP/NUPTK/phone travels as an opaque token.

The registration list's filter form is sent by POST; an identifier-looking search text is kept in the
session under a short random token and the browser is redirected to the list with `qt=<token>` instead
of `q=<number>`, so the number is in no URL, browser history, access log, Referer or pagination link.
A name search stays in the URL as `q` (a bookmarkable list). A GET that still carries an identifier
(an old bookmark, a hand-typed URL) is redirected the same way. The kept text is encrypted (core.fields):
the session table holds no number in clear.
"""

import re
import secrets

from django.http import QueryDict

from core.fields import UndecryptableValue, decrypt_value, encrypt_value

SESSION_KEY = "search_tokens"
KEEP = 20  # tokens kept per session; older searches simply fall back to "no search text"
_IDENTIFIER_LIKE = re.compile(r"\+?\d{6,}")


def looks_like_identifier(text: str) -> bool:
    """Six digits or more once spaces, dots and dashes are gone: a NIK, NIP, NUPTK or phone number."""
    return bool(_IDENTIFIER_LIKE.search(re.sub(r"[\s.\-()]", "", text or "")))


def move_identifier_out(request, params: QueryDict) -> tuple[QueryDict, bool]:
    """`params` without an identifier-looking `q` (replaced by `qt`); True when something was moved."""
    params = params.copy()
    params.pop("csrfmiddlewaretoken", None)
    query = params.get("q", "")
    if not looks_like_identifier(query):
        return params, False
    tokens = request.session.get(SESSION_KEY, {})
    token = secrets.token_urlsafe(8)
    tokens[token] = encrypt_value(query)
    request.session[SESSION_KEY] = dict(list(tokens.items())[-KEEP:])
    params.pop("q")
    params["qt"] = token
    return params, True


def with_identifier(request, params: QueryDict) -> QueryDict:
    """`params` for the filter: `qt` turned back into the search text kept in this session."""
    token = params.get("qt")
    if not token:
        return params
    params = params.copy()
    params.pop("qt")
    stored = request.session.get(SESSION_KEY, {}).get(token)
    try:
        query = decrypt_value(stored) if isinstance(stored, str) else ""
    except UndecryptableValue:
        query = ""  # kept under a key since dropped: the search is simply gone
    if query:
        params["q"] = query
    return params
