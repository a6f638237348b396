"""Keeps the index of signed-in sessions (`UserSession`) true as people use the portal, and speaks each signed-in
user's saved language."""

from django.utils import translation

from portal.accounts.services import session_touch


class SessionIndexMiddleware:
    """After the view: a signed-in session is in its user's index, under its current key, with a recent
    "last seen". Placed after AuthenticationMiddleware (it reads `request.user`) and, being inside
    SessionMiddleware, its change to the session is saved with the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Without a session cookie there is nobody to index: no lookup of the user at all.
        if session is not None and session.session_key is not None and request.user.is_authenticated:
            session_touch(request=request)
        return response


class UserLanguageMiddleware:
    """A signed-in user's saved language (`User.language`) wins over the cookie and Accept-Language, which
    LocaleMiddleware has already weighed (in that order) and which decide when no language is saved. Placed after
    AuthenticationMiddleware (it reads `request.user`); LocaleMiddleware, outside, then labels the response
    (`Content-Language`) with the language activated here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in: no lookup of the user at all. (An API token's user is only
        # known inside the API view: the API follows Accept-Language.)
        session = getattr(request, "session", None)
        if session is not None and session.session_key is not None:
            language = getattr(request.user, "language", "")
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
