"""Throttles: how often one client address may do something, counted in the cache every worker shares.

A `Throttle` counts hits per client address in fixed windows (`limit` hits per `window_seconds`,
windows aligned to the clock: an hourly window runs from :00 to :00). The counts live in the default
cache: the database cache (`core.cache.DatabaseCache`, table `core_cache`) or Redis when `REDIS_URL`
is set, so every worker and every restart sees the same count; a count is one atomic `incr` (on the database
cache `count_hit`: one UPDATE … RETURNING, the first hit of a window an insert) and its key expires with its
window.

The client address is the one the login lockout trusts (`core.two_factor.client_ip`: REMOTE_ADDR,
or the address behind TRUSTED_PROXY_COUNT proxies; a forged X-Forwarded-For is ignored). An IPv6
client counts by its /64 network (one subscriber's block: rotating addresses inside it gains
nothing). Keys hold a keyed hash of the address, never the address itself.

Two ready throttles, their limits read from settings at each use (tests may change them):

- `FAILED_LOOKUPS`: wrong codes, keys or links typed by anonymous visitors
  (THROTTLE_LOOKUP_LIMIT per THROTTLE_LOOKUP_WINDOW seconds; only failures count).
- `PUBLIC_POSTS`: every anonymous form POST (THROTTLE_POST_LIMIT per THROTTLE_POST_WINDOW seconds).

A client over the limit gets HTTP 429 with a `Retry-After` header: a page saying, in the visitor's
language (Indonesian by default), when to try again, or `{"error": …, "retry_after": seconds}` when
the request asks for JSON only.

Usage in a view::

    from core.throttle import FAILED_LOOKUPS, PUBLIC_POSTS, throttled

    @throttled(PUBLIC_POSTS)  # every POST counts; past the limit, 429 instead of the view
    @throttled(FAILED_LOOKUPS, count=False)  # 429 past the limit; the view counts its own failures
    def registration_status(request):
        ...
        if registration is None:
            FAILED_LOOKUPS.hit(request)  # one wrong code
            form.add_error("code", ...)

`throttled(throttle, methods=("POST",), count=True)`: which request methods it watches (`None`: all);
`count=False` only refuses a blocked client. Without the decorator:
`throttle.hit(request) -> bool` counts one and says whether the client is still within the limit,
`throttle.is_blocked(request)`, `throttle.count(request)`, `throttle.reset(request)`,
`throttle.retry_after(request)` (seconds until the window ends) and `throttle.blocked_response(request)`
(the 429). `hit`, `is_blocked`, `count` and `reset` take an optional `subject=` that counts one proven
thing apart (see `hit`). A throttle of one's own:
`Throttle("scope", limit=5, window_seconds=60)`, or `Throttle.from_settings("scope", "THROTTLE_X")`
for `THROTTLE_X_LIMIT` / `THROTTLE_X_WINDOW`.
"""

import functools
import ipaddress
import logging
import math
import time
from collections.abc import Callable, Collection

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext
from redis.exceptions import RedisError

from core.two_factor import client_ip

logger = logging.getLogger(__name__)

# incr() misses only when the key does not exist and add() fails only when another worker has just
# created it, so a second round finds it; more than a few rounds means the cache drops writes.
HIT_ATTEMPTS = 5
# Extra life of a key after its window ends: an increment at the last moment finds the key still there.
KEY_GRACE_SECONDS = 60


# A cache server that cannot be reached (Redis down, a socket error) lets requests through, logged: the
# throttle guards the public forms, it must not close them (a participant at the venue gets no 500).
UNREACHABLE = (OSError, RedisError)


def _unreachable(throttle: "Throttle", error: Exception) -> None:
    logger.warning(
        "Throttle %s: the cache cannot be reached (%s); the request goes through.", throttle.scope, type(error).__name__
    )


def client_bucket(request: HttpRequest) -> str:
    """The address a client is counted under: its IPv4 address, or its IPv6 /64 network."""
    address = client_ip(request) or ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address  # no usable address: all such requests share one bucket
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # ::ffff:a.b.c.d, an IPv4 client of a dual-stack server
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


class Throttle:
    """`limit` hits per `window_seconds` for each client address, under the name `scope`."""

    def __init__(self, scope: str, limit: int | None = None, window_seconds: int | None = None, *, setting: str = ""):
        if not setting and (limit is None or window_seconds is None):
            raise ValueError("A throttle needs a limit and a window, or the name of its settings.")
        self.scope = scope
        self._limit = limit
        self._window_seconds = window_seconds
        self._setting = setting

    @classmethod
    def from_settings(cls, scope: str, setting: str) -> "Throttle":
        """A throttle whose limit and window are `settings.<setting>_LIMIT` and `<setting>_WINDOW`, read at each use."""
        return cls(scope, setting=setting)

    def __repr__(self) -> str:
        return f"<Throttle {self.scope}: {self.limit} per {self.window_seconds} s>"

    @property
    def limit(self) -> int:
        return getattr(settings, f"{self._setting}_LIMIT") if self._setting else self._limit

    @property
    def window_seconds(self) -> int:
        return getattr(settings, f"{self._setting}_WINDOW") if self._setting else self._window_seconds

    # --- the count ---

    def _window(self) -> tuple[int, int]:
        """(start of the current window, seconds left in it), in whole seconds since the epoch."""
        window = self.window_seconds
        current = int(time.time())
        start = current - current % window
        return start, start + window - current

    def _key(self, request: HttpRequest, window_start: int, subject: str) -> str:
        counted = salted_hmac("core.throttle", f"{client_bucket(request)}|{subject}").hexdigest()[:32]
        return f"throttle:{self.scope}:{counted}:{window_start}"

    def count(self, request: HttpRequest, *, subject: str = "") -> int:
        """How many hits this client has in the current window (0 when the cache cannot be reached)."""
        start, _left = self._window()
        try:
            return caches["default"].get(self._key(request, start, subject), 0)
        except UNREACHABLE as error:
            _unreachable(self, error)
            return 0

    def is_blocked(self, request: HttpRequest, *, subject: str = "") -> bool:
        """True once the client has used up its hits of the current window."""
        return self.count(request, subject=subject) >= self.limit

    def hit(self, request: HttpRequest, *, subject: str = "") -> bool:
        try:
            return self._hit(request, subject=subject)
        except UNREACHABLE as error:
            _unreachable(self, error)
            return True

    def _hit(self, request: HttpRequest, *, subject: str = "") -> bool:
        """Count one hit of this client; True while it is within the limit (this hit included).

        `subject` counts apart what the client does to one thing it has proved it may reach (e.g. the
        plan of a valid edit link), so that clients sharing one address (a venue's network) do not
        use up each other's hits there. Never a value the client may vary freely, or it escapes the limit.
        """
        start, left = self._window()
        key = self._key(request, start, subject)
        cache = caches["default"]
        if hasattr(cache, "count_hit"):  # the database cache: one statement per hit (core.cache)
            return cache.count_hit(key, left + KEY_GRACE_SECONDS) <= self.limit
        for _attempt in range(HIT_ATTEMPTS):
            try:
                count = cache.incr(key)
            except ValueError:  # first hit of the window: create the key, unless another worker just did
                if not cache.add(key, 1, timeout=left + KEY_GRACE_SECONDS):
                    continue
                count = 1
            return count <= self.limit
        # The key kept appearing and vanishing (a cache that drops writes): let the request through.
        logger.warning("Throttle %s could not count a hit.", self.scope)
        return True

    def reset(self, request: HttpRequest, *, subject: str = "") -> None:
        """Forget this client's hits of the current window (e.g. to unblock a venue's shared address)."""
        start, _left = self._window()
        caches["default"].delete(self._key(request, start, subject))

    def retry_after(self, request: HttpRequest) -> int:
        """Seconds until the current window ends (and the client's count starts again from 0)."""
        return self._window()[1]

    # --- the refusal ---

    def blocked_response(self, request: HttpRequest) -> HttpResponse:
        """HTTP 429 with Retry-After: a page, or JSON when the request accepts JSON but not HTML."""
        seconds = self.retry_after(request)
        minutes = max(1, math.ceil(seconds / 60))
        message = ngettext(
            "Too many attempts from your address. Try again in %(minutes)d minute.",
            "Too many attempts from your address. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        if request.accepts("application/json") and not request.accepts("text/html"):
            response = JsonResponse({"error": message, "retry_after": seconds}, status=429)
        else:
            response = render(request, "core/throttled.html", {"message": message}, status=429)
        response["Retry-After"] = str(seconds)
        return response


def throttled(
    throttle: Throttle, *, methods: Collection[str] | None = ("POST",), count: bool = True
) -> Callable[[Callable], Callable]:
    """View decorator: a client over `throttle`'s limit gets the 429 answer instead of the view.

    `count=True` counts every request whose method is in `methods` (None: every method) as a hit;
    `count=False` only refuses clients already over the limit, and the view counts what it must
    (e.g. failed look-ups) with `throttle.hit(request)`.
    """

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if methods is None or request.method in methods:
                allowed = throttle.hit(request) if count else not throttle.is_blocked(request)
                if not allowed:
                    return throttle.blocked_response(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


FAILED_LOOKUPS = Throttle.from_settings("lookup", "THROTTLE_LOOKUP")
PUBLIC_POSTS = Throttle.from_settings("post", "THROTTLE_POST")
