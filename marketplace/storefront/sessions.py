"""
The session engine: Django's ``cached_db`` (read from the shared cache, written to both),
each write one statement.

A checkout reads the session on every request and writes it on most: from the database
that was a SELECT per request and BEGIN, UPDATE, COMMIT per write. Read from the cache
it costs no query; and outside a transaction the write is one INSERT or UPDATE, atomic
by itself, which Django's backend wraps in a transaction of its own only so that a failed
write cannot break a transaction around it. Inside one (a view in ``atomic``) it still
does, with a savepoint.
"""

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.db import DatabaseError, IntegrityError, connections, router
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def _get_new_session_key(self):
        # Django looks a new random key up first (the cache, then a SELECT); the insert
        # of a new session (``must_create``) is refused for a taken key anyway, and
        # ``create`` then draws another.
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()
        using = router.db_for_write(self.model)
        if connections[using].in_atomic_block:
            return super().save(must_create)
        obj = self.create_model_instance(self._get_session(no_load=must_create))
        try:
            obj.save(force_insert=must_create, force_update=not must_create, using=using)
        except IntegrityError:
            if must_create:
                raise CreateError from None
            raise
        except DatabaseError:
            if not must_create:
                raise UpdateError from None
            raise
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)
