"""Renderers the API's downloads share."""

from rest_framework.renderers import BaseRenderer, JSONRenderer


class DownloadRenderer(BaseRenderer):
    """Lets `Accept: <the file's type>` through content negotiation; error bodies stay JSON."""

    media_type = "*/*"
    format = "download"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)
