"""Reading sent e-mails the way a scan for leaks must: every header and text part, with the
recipient's own address left out of messages written to that recipient."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path


def load(folders: list[Path], naming: str | None = None) -> list:
    """Every message in `folders`, oldest first; with `naming`, only those whose bytes hold it (the
    sink writes each recipient as given, in X-Sink-Rcpt-To): parsing every message of a long
    run on each poll of a wait was most of the time a late test spent waiting for a mail."""
    raws = (path.read_bytes() for folder in folders if folder.exists() for path in sorted(folder.glob("*.eml")))
    return [message_from_bytes(raw, policy=policy.default) for raw in raws
            if naming is None or naming.encode() in raw]


def addressed_to(message, addresses) -> bool:
    recipients = (message.get("To") or "") + (message.get("X-Sink-Rcpt-To") or "")
    return any(address in recipients for address in addresses)


def readable(message, without_recipient: bool) -> str:
    # The Message-ID is notify's random delivery id: a UUID can look like anything (even a
    # tracking code) and says nothing about the case or the reporter.
    skip = {"message-id"} | ({"to", "x-sink-rcpt-to"} if without_recipient else set())
    headers = "\n".join(f"{k}: {v}" for k, v in message.items() if k.lower() not in skip)
    parts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
    return headers + "\n" + "\n".join(parts)
