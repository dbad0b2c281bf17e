"""A channel's day and week, in its own time zone: pure functions of a moment."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta


@dataclass(frozen=True)
class Period:
    """``[start, end)``, both aware; ``start`` is a local midnight of the channel."""

    start: datetime
    end: datetime

    def as_utc(self) -> tuple[str, str]:
        """The bounds as ISO 8601 in UTC, for a change list's query string."""
        return (
            self.start.astimezone(UTC).isoformat(),
            self.end.astimezone(UTC).isoformat(),
        )


def _midnight(day, tz) -> datetime:
    # Midnight as the zone has it that day (zoneinfo picks the right offset
    # on a day the clocks change, as Casablanca's do around Ramadan).
    return datetime.combine(day, time.min, tzinfo=tz)


def today(tz, now: datetime) -> Period:
    """The day containing ``now`` in ``tz``, from its midnight to the next."""
    day = now.astimezone(tz).date()
    return Period(_midnight(day, tz), _midnight(day + timedelta(days=1), tz))


def this_week(tz, now: datetime) -> Period:
    """The week containing ``now`` in ``tz``, from Monday midnight to the next Monday's."""
    day = now.astimezone(tz).date()
    monday = day - timedelta(days=day.weekday())
    return Period(_midnight(monday, tz), _midnight(monday + timedelta(days=7), tz))
