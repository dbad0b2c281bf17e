"""Media files served by Django (the demo, tests): a rendition not made yet is the original."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseRedirect
from django.views.static import serve

from . import renditions


def media(request, path):
    """Serve ``MEDIA_ROOT``; a missing rendition redirects to its original image.

    The page that linked it never looked (no I/O while rendering): this is the
    fallback a web server in front gives with ``try_files $uri @original``.
    """
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except Http404:
        original = renditions.original_path(path)
        if original is None or not default_storage.exists(original):
            raise
        return HttpResponseRedirect(default_storage.url(original))
