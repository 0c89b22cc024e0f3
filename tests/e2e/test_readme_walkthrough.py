"""The README's walk-through, run word for word: the block under its "walkthrough" marker, in bash at
the project's root, with only what `make run` reads in the environment (the stack's data folder,
database name and ports), reaches BKPPD's recorded sanction and the reporter's status page says the
case is closed."""

from __future__ import annotations

import os
import re
import subprocess

from netra_stack.settings import PROJECT_ROOT

from tests.support.accounts import dev_ketua
from tests.support.totp import leave_to_another

MARKER = "<!-- walkthrough:"


def walkthrough() -> str:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index(MARKER):]
    return re.search(r"```sh\n(.*?)```", after, re.S).group(1)


def test_the_readme_walkthrough_reaches_a_recorded_sanction(stack):
    script = walkthrough()
    for step in ("propose-violation", "confirm-violation", "forward", "record-sanction", "users confirm",
                 "docs/sample/tangkapan-layar-contoh.png"):
        assert step in script, step
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRA_")}
    env.update(stack.settings.as_env())
    leave_to_another(stack.secrets["dev_team_totp_secret"])  # the script logs the ketua in with `netra-stack otp`
    done = subprocess.run(["bash", "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == "closed", done.stdout

    ketua = dev_ketua(stack)
    # The number in the header of the last case file shown ("Kasus NTR-..."), not the last number in
    # the output: the file also names related cases (the sample screenshot is filed again and again).
    case_number = re.findall(r"^Kasus (NTR-\d{4}-\d{5})", done.stdout, re.MULTILINE)[-1]
    # The search finds cases that mention the number too (the session's stack holds many): take its own.
    found = ketua.get("/api/v1/cases", params={"search": case_number}).json()["items"]
    (case,) = [c for c in found if c["case_number"] == case_number]
    decided = ketua.get(f"/api/v1/cases/{case['case_id']}").json()
    assert decided["status"] == "closed" and decided["sanction"]["decree_number"] == "800/BKPPD/2026/117"
    assert len(decided["evidence"]) == 1
