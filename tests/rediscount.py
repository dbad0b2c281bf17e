"""Count the Redis commands (and round-trips) this process sends, without MONITOR.

Wraps ``redis.Redis.execute_command`` (one command, one round-trip; a Lua script is
one EVALSHA) and ``Pipeline.execute`` (its queued commands, one round-trip), so only
this process's commands are counted, whatever else shares the Redis server.
"""

import os
from collections import Counter
from contextlib import contextmanager

import pytest
from django.conf import settings
from redis.client import Pipeline, Redis


def needs_redis():
    if not settings.REDIS_URL:
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail("REQUIRE_REDIS is set but REDIS_URL is not")
        pytest.skip("needs Redis (set REDIS_URL)")


class Counted:
    def __init__(self):
        self.commands = Counter()
        self.round_trips = 0

    @property
    def total(self):
        return sum(self.commands.values())


@contextmanager
def counting_redis(monkeypatch):
    counted = Counted()
    execute_command = Redis.execute_command
    pipeline_execute = Pipeline.execute

    def counted_command(client, *args, **options):
        if not isinstance(client, Pipeline):  # a pipeline's queued command: counted on execute
            counted.commands[str(args[0]).upper()] += 1
            counted.round_trips += 1
        return execute_command(client, *args, **options)

    def counted_pipeline(pipe, *args, **kwargs):
        for command_args, _options in pipe.command_stack:
            counted.commands[str(command_args[0]).upper()] += 1
        counted.round_trips += 1
        return pipeline_execute(pipe, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Redis, "execute_command", counted_command)
        patch.setattr(Pipeline, "execute", counted_pipeline)
        yield counted
