"""Bus settings, read from a service's config (or the environment, for CLIs)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_PREFIX = "netra"
# Back-off between attempts of a failing handler: 1 s, 5 s, 30 s, 2 min, 10 min, then parked.
DEFAULT_RETRY_DELAYS_MS = (1_000, 5_000, 30_000, 120_000, 600_000)


def parse_delays(value) -> tuple[int, ...]:
    if value in (None, ""):
        return DEFAULT_RETRY_DELAYS_MS
    if isinstance(value, int):
        return (value,)
    if isinstance(value, (list, tuple)):
        delays = tuple(int(v) for v in value)
    else:
        delays = tuple(int(part) for part in str(value).split(",") if part.strip())
    if any(delay <= 0 for delay in delays):
        raise ValueError("retry delays must be positive milliseconds")
    return delays


@dataclass(frozen=True)
class BusSettings:
    amqp_uri: str = DEFAULT_AMQP_URI
    prefix: str = DEFAULT_PREFIX
    retry_delays_ms: tuple[int, ...] = DEFAULT_RETRY_DELAYS_MS

    @classmethod
    def from_config(cls, config: dict) -> BusSettings:
        return cls(
            amqp_uri=config.get("AMQP_URI") or DEFAULT_AMQP_URI,
            prefix=config.get("NETRA_BUS_PREFIX") or DEFAULT_PREFIX,
            retry_delays_ms=parse_delays(config.get("NETRA_RETRY_DELAYS_MS")),
        )

    @property
    def max_attempts(self) -> int:
        """First delivery plus one retry per back-off step."""
        return 1 + len(self.retry_delays_ms)

    @property
    def events_exchange(self) -> str:
        return f"{self.prefix}.events"

    def queue(self, service: str, event_type: str) -> str:
        return f"{self.prefix}.{service}.{event_type}"

    def retry_queue(self, service: str, event_type: str, delay_ms: int) -> str:
        return f"{self.queue(service, event_type)}.retry.{delay_ms}ms"

    def rpc_queue(self, service: str) -> str:
        """Where a service's `@rpc` entrypoints listen (nameko declares it when they start)."""
        return f"{self.prefix}.rpc.{service}"

    def dead_queue(self, service: str, event_type: str) -> str:
        return f"{self.queue(service, event_type)}.dead"
