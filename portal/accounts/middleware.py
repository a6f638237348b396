"""Keeps the index of signed-in sessions (`UserSession`) true as people use the portal."""

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
