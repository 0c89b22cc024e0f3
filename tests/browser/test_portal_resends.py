"""The portal sends each submission with its own Idempotency-Key and, when the answer is lost on
the way, sends it again with the same key: the reporter gets the receipt of the complaint that was
filed, and it is filed once."""

from __future__ import annotations

from tests.browser.portal import fill_complaint, open_portal, submit_and_read_receipt


def test_a_complaint_whose_answer_was_lost_is_sent_again_and_filed_once(phone, stack):
    page = phone.page
    open_portal(page)
    fill_complaint(page)
    sent: list[dict] = []

    def lose_the_first_answer(route):
        """Every request reaches the server; the browser never gets the first one's answer."""
        answer = route.fetch()
        sent.append({"key": route.request.headers.get("idempotency-key"), "status": answer.status,
                     "body": answer.json(), "replayed": answer.headers.get("idempotent-replayed")})
        if len(sent) == 1:
            route.abort("connectionreset")
        else:
            route.fulfill(response=answer)

    page.route("**/api/v1/complaints", lose_the_first_answer)
    code, receipt = submit_and_read_receipt(page)
    phone.picture("receipt-after-resending")

    assert [s["status"] for s in sent] == [201, 201]
    first, again = sent
    assert first["key"] and len(first["key"]) >= 32 and again["key"] == first["key"]
    assert again["replayed"] == "true" and again["body"] == first["body"]  # filed once, by the first
    assert (code, receipt) == (first["body"]["tracking_code"], first["body"]["receipt"])

    # The next complaint is another submission: another key.
    page.get_by_role("button", name="Buat pengaduan").click()
    fill_complaint(page)
    submit_and_read_receipt(page)
    assert len(sent) == 3 and sent[2]["key"] != first["key"] and sent[2]["replayed"] is None
    # Chromium logs the connection the test cut; nothing else may have gone wrong.
    phone.problems[:] = [p for p in phone.problems if "ERR_CONNECTION_RESET" not in p]
