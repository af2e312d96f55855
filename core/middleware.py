"""Middleware of the plumbing: the language of a request, and what a browser may keep of a response."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Indonesian unless the user chose another language with the switch (the language cookie).

    The browser's Accept-Language is ignored on purpose: officials' laptops are often set to
    English, and the app must still speak Indonesian to them by default.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def _is_attachment(response) -> bool:
    return response.get("Content-Disposition", "").lstrip().lower().startswith("attachment")


class NoStoreMiddleware:
    """`Cache-Control: no-store` on what a shared computer's browser must not keep: staff work at check-in desks
    and in dinas offices on computers others use after them.

    - every response to a signed-in user (lists, details, dashboards, the admin);
    - every download (a response with `Content-Disposition: attachment`: exports, job files, documents);
    - the public pages that show personal data by registration code mark themselves with Django's `never_cache`
      (status result, confirmation, own data); this adds the old `Pragma: no-cache` to them too.

    Anonymous public pages (events, gallery) and static files (served before this by WhiteNoise) stay
    cacheable. Placed after AuthenticationMiddleware, so that `request.user` is known.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        private = user is not None and user.is_authenticated
        if private or _is_attachment(response) or "no-store" in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response
