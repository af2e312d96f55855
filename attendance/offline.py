"""The check-in screen that reopens with no network: its service worker, web app manifest and icons.

The worker is served by the app at /checkin/sw.js, so its scope is /checkin/ (the check-in pages only; no
Service-Worker-Allowed header widens it). It keeps the screen's static files (precached on install) and every
check-in page opened once (network first, the kept copy when offline). None of these answers holds personal
data, so they need no login: a worker script or a manifest fetched after the session ended must not turn
into a login page.
"""

import hashlib
import io
import json
from functools import lru_cache

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from PIL import Image, ImageDraw

# The files the check-in screen loads (base.html and screen.html): all kept for offline use.
SCREEN_ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "css/app.css",
    "favicon.svg",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "vendor/jsqr/jsQR.js",
    "attendance/checkin.js",
)
ICON_SIZES = (192, 512)
# Bumped when the worker's own logic changes; the static files' hashed names change the cache name by themselves.
WORKER_REVISION = "1"
# What the screen asks the worker to keep (itself, the paper sheet) is fetched again when older than this.
KEPT_FRESH_SECONDS = 30 * 60


def worker_assets() -> list[str]:
    return [static(name) for name in SCREEN_ASSETS] + [
        reverse("attendance:checkin_manifest"),
        *(reverse("attendance:checkin_icon", args=[size]) for size in ICON_SIZES),
    ]


def worker_cache_name(assets: list[str]) -> str:
    digest = hashlib.sha256("\n".join([WORKER_REVISION, *assets]).encode()).hexdigest()[:12]
    return f"psp-checkin-{digest}"


@require_GET
@cache_control(no_cache=True)
def checkin_worker(request: HttpRequest) -> HttpResponse:
    assets = worker_assets()
    script = render_to_string(
        "attendance/sw.js",
        {
            "config": json.dumps(
                {
                    "cache": worker_cache_name(assets),
                    "assets": assets,
                    "scope": reverse("attendance:checkin_sessions"),
                    "freshMs": KEPT_FRESH_SECONDS * 1000,
                }
            )
        },
    )
    return HttpResponse(script, content_type="text/javascript; charset=utf-8")


@require_GET
def checkin_manifest(request: HttpRequest) -> JsonResponse:
    start = reverse("attendance:checkin_sessions")
    manifest = {
        "name": _("psp-koordinasi check-in"),
        "short_name": _("Check-in"),
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {"src": reverse("attendance:checkin_icon", args=[size]), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in ICON_SIZES
        ],
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@lru_cache(maxsize=len(ICON_SIZES))
def icon_png(size: int) -> bytes:
    """A plain icon drawn here (no image file to keep): a white tick on the app's blue."""
    image = Image.new("RGB", (size, size), (13, 110, 253))
    draw = ImageDraw.Draw(image)
    width = max(2, size // 12)
    draw.line(
        [(size * 0.25, size * 0.52), (size * 0.43, size * 0.70), (size * 0.76, size * 0.32)],
        fill=(255, 255, 255),
        width=width,
        joint="curve",
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@require_GET
@cache_control(max_age=86400)
def checkin_icon(request: HttpRequest, size: int) -> HttpResponse:
    if size not in ICON_SIZES:
        raise Http404
    return HttpResponse(icon_png(size), content_type="image/png")
