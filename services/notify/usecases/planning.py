"""Who hears what of each event: the messages it calls for, to whom, and by which channel.

notify hears of members and complaints on queues of their own, so an event may arrive before
the news of whom it is for. Then planning raises NotKnownYet and the bus tries the event again
(its retry queues), rather than the message being dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netra_common.contracts.envelope import Envelope
from services.notify.domain import messages
from services.notify.domain.reporter_news import News, news_of
from services.notify.usecases.context import Outbound
from services.notify.usecases.ports import Member, Recipients


class NotKnownYet(Exception):
    """The event is for a member or a complaint notify has not heard of yet."""

    def __init__(self, kind: str, waiting_for: str):
        super().__init__(f"{kind}: the {waiting_for} it is for has not reached notify yet; try again later")
        self.waiting_for = waiting_for


@dataclass
class Planned:
    recipient: str
    kind: str
    message: messages.Message | None = None
    channel: str = "email"
    address: str | None = None
    address_sealed: str | None = None
    payload: dict | None = None
    queued: bool = False
    extra: dict = field(default_factory=dict)


def _members(recipients: Recipients, roles: tuple[str, ...]) -> list[Member]:
    return list(recipients.reachable_members(roles))


def _member(recipients: Recipients, kind: str, user_id: object) -> list[Member]:
    """The member as a list of one, or none if they cannot be written to (inactive, no e-mail);
    NotKnownYet if notify has not heard of them at all."""
    row = recipients.member(user_id)
    if row is None:
        raise NotKnownYet(kind, "member")
    return [row] if row.active and row.email else []


def _to_members(out: Outbound, kind: str, payload: dict, members, *, digest: bool = True) -> list[Planned]:
    return [Planned(f"member:{m.user_id}", kind,
                    messages.team_message(kind, payload, m.full_name, out.team_url, out.template_dir),
                    address=m.email, queued=digest and m.notify_mode == "digest") for m in members]


def _to_reporter(recipients: Recipients, out: Outbound, kind: str, complaint_id,
                 news: tuple[News, int | None] | None = None) -> list[Planned]:
    """The reporter's mail; with `news` (and the case's version at it), only if it is news to them:
    a stage that says the same as the last mail they had, or an older change arriving late, is not."""
    if not complaint_id:
        return []  # a case the team filed itself: there is no reporter
    known = recipients.reporter_contact(complaint_id)
    if known is None:
        raise NotKnownYet(kind, "complaint")
    if known.sealed_contact is None:
        return []  # anonymous, no e-mail given, or no consent: nothing is sent
    if news is not None and not recipients.reporter_hears(complaint_id, news[0].milestone, news[1]):
        return []
    message = messages.reporter_message(kind, out.portal_url, out.template_dir, news[0] if news else None)
    return [Planned(f"reporter:{complaint_id}", kind, message, address_sealed=known.sealed_contact)]


def _dossier_reference(out: Outbound, p: dict) -> dict:
    """The dossier as forwarded: its SHA-256 and signature (casework's seal, checked with the key at
    /api/v1/dossier/public-key), and where a BKPPD account fetches it."""
    api = f"{out.team_url.rstrip('/')}/api/v1/cases/{p['case_id']}"
    return {**(p.get("dossier") or {}), "json_url": f"{api}/dossier.json", "pdf_url": f"{api}/dossier.pdf",
            "public_key_url": f"{out.team_url.rstrip('/')}/api/v1/dossier/public-key"}


def _to_bkppd(out: Outbound, envelope) -> list[Planned]:
    p = envelope.payload
    case_url = messages.case_link(out.team_url, p["case_id"])
    message = messages.bkppd_forwarded(p, case_url, out.template_dir)
    planned = [Planned(f"bkppd:{address}", "bkppd_forwarded", message, address=address)
               for address in out.bkppd_emails]
    if out.webhook.enabled:
        planned.append(Planned("bkppd-webhook", "bkppd_forwarded", channel="webhook",
                               payload={"event": "case_forwarded_to_bkppd", "event_id": str(envelope.event_id),
                                        "case_number": p["case_number"], "case_url": case_url,
                                        "dossier": _dossier_reference(out, p), "checkpoint": p.get("checkpoint"),
                                        "case": p},
                               message=messages.Message(message.subject, "")))
    return planned


def _to_disclosure_recipient(recipients: Recipients, out: Outbound, p: dict) -> list[Planned]:
    if not p.get("recipient_id"):
        return []  # from a casework that does not yet name the recipient in the event
    members = _member(recipients, "identity_disclosed", p["recipient_id"])
    # `netra read-identity` takes the case's id as well as its number (older events lack it).
    number = p.get("case_number") or str(p["case_id"])
    # Never held for a digest: the disclosure expires.
    return [Planned(f"member:{m.user_id}", "disclosure_approved",
                    messages.disclosure_approved(number, p["valid_until"], m.full_name, out.team_url,
                                                 out.template_dir, p.get("case_id")),
                    address=m.email) for m in members]


HOLDER_HEARS = ("password_changed", "totp_changed")  # the account's own holder is mailed too


def _about_an_account(recipients: Recipients, out: Outbound, p: dict) -> list[Planned]:
    """Every active ketua hears of every account change at once (never in a digest); the holder
    hears of it too at the address they had, when it was changed away."""
    ketuas = _members(recipients, ("ketua",))
    planned = [Planned(f"member:{m.user_id}", "account_changed",
                       messages.account_changed(p, m.full_name, out.team_url, out.template_dir), address=m.email)
               for m in ketuas]
    holder = p.get("email")
    if p["action"] in HOLDER_HEARS and holder and holder not in {m.email for m in ketuas}:
        # The member hears of a change to their own sign-in at once: if it was not them, they know.
        planned.append(Planned(f"member:{p['user_id']}", "account_changed",
                               messages.account_changed(p, p["full_name"], out.team_url, out.template_dir),
                               address=holder))
    former = p.get("previous_email")
    if former and former not in {m.email for m in ketuas}:
        planned.append(Planned(f"former-address:{p['user_id']}", "account_changed",
                               messages.account_changed(p, p["full_name"], out.team_url, out.template_dir),
                               address=former))
    return planned


def _invitation(out: Outbound, p: dict) -> list[Planned]:
    """The enrolment code, to the address sealed with it: both are opened only as the mail is sent."""
    return [Planned(f"member:{p['user_id']}", "enrolment", messages.enrolment(p, out.team_url, out.template_dir),
                    address_sealed=p["sealed_invitation"])]


def plan(recipients: Recipients, out: Outbound, envelope: Envelope) -> list[Planned]:
    p, kind = envelope.payload, envelope.type
    if kind == "case_forwarded_to_bkppd":
        return _to_bkppd(out, envelope)
    if kind == "case_status_changed":
        planned = []
        if p["status"] == "opened" and p.get("previous_status") is None:
            planned += _to_members(out, "new_case", p, _members(recipients, ("ketua", "sekretaris")))
        news = news_of(p["status"], p.get("previous_status"))  # none for a question: it has its own message
        if news is not None:
            planned += _to_reporter(recipients, out, "reporter_update", p.get("complaint_id"),
                                    (news, p.get("case_version")))
        return planned
    if kind == "message_to_reporter":
        return _to_reporter(recipients, out, "reporter_question", p["complaint_id"])
    if kind == "case_assigned":
        return _to_members(out, "case_assigned", p, _member(recipients, kind, p["assignee_id"]))
    if kind == "reporter_reply_recorded":
        members = _member(recipients, kind, p["assignee_id"]) if p.get("assignee_id") else []
        return _to_members(out, "reporter_reply", p, members or _members(recipients, ("ketua",)))
    if kind == "case_overdue":
        return _to_members(out, "case_overdue", p, _members(recipients, ("ketua",)), digest=False)
    if kind == "identity_disclosed":
        return _to_disclosure_recipient(recipients, out, p)
    if kind == "account_changed":
        return _about_an_account(recipients, out, p)
    if kind == "enrolment_issued":
        return _invitation(out, p)
    return []
