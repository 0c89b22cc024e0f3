"""The services' access logs name routes, never the tracking codes or ids they were asked about."""

from __future__ import annotations

from tests.support import complaints
from tests.support.waiting import eventually


def test_following_a_complaint_leaves_its_tracking_code_out_of_the_access_log(stack):
    intake = stack.settings.url("intake")
    filed = complaints.file(intake, complaints.complaint(), []).json()
    assert complaints.status(intake, filed["tracking_code"], filed["receipt"]).status_code == 200
    log = stack.settings.log_dir / "intake.log"
    eventually(lambda: "/api/v1/complaints/:id " in log.read_text(errors="replace"), message="the access line")
    assert filed["tracking_code"] not in log.read_text(errors="replace")
