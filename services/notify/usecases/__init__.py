"""notify's use cases: decide who hears what of each event, record each message once per
(event, recipient, channel) and deliver it (again only after a crash at the hand-over:
docs/decisions/0003-notify-delivery-once.md), retrying what failed for now and keeping what
failed for good as a dead letter."""

from services.notify.adapters.dead_letters import attempts_of, dead_letters, find_delivery, resend
from services.notify.usecases.context import TEMPLATE_DIR, Outbound
from services.notify.usecases.delivering import deliver, deliver_due
from services.notify.usecases.digests import send_digests
from services.notify.usecases.planning import NotKnownYet, plan
from services.notify.usecases.recording import handle

__all__ = ["TEMPLATE_DIR", "NotKnownYet", "Outbound", "attempts_of", "dead_letters", "deliver", "deliver_due",
           "find_delivery", "handle", "plan", "resend", "send_digests"]
