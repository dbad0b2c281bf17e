"""
What the rule services announce, after their transaction commits.

The services never import the tasks: the tasks call the services, and listen
to these signals to queue the follow-up work (``tasks.py``, connected when the
app is ready). Dependencies point one way: apps -> tasks -> services -> signals.
"""

from django.dispatch import Signal

# A rule was created, changed or ended: listings are to be brought in line with it.
rules_changed = Signal()

# A rule started or ended (``rule_id``, ``event``: "started" or "ended"), once each.
rule_event = Signal()
