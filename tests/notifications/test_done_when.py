"""Issue 17's "done when", as a user does it: a store loaded with ``caseflow demo`` and
``CASEFLOW_SMTP_URL`` set; the secretariat requests KG's advice on a new case with the
CLI; ``caseflow notify --once`` sends each KG member who is not an observer (and the
invited expert-group leader) exactly one message naming the case's reference, and a
second ``caseflow notify --once`` sends nothing more. No notifier ran before: the demo
records where the notifier starts (its own history sends nothing)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from click.testing import CliRunner

from caseflow.cli import main


@pytest.mark.slow
def test_advice_requested_after_the_demo_is_sent_once(
    store_url, smtp, monkeypatch, tmp_path
) -> None:
    monkeypatch.setenv("CASEFLOW_SMTP_URL", smtp.url)
    monkeypatch.setenv("CASEFLOW_SECRET_KEY", "test-secret")
    monkeypatch.setenv("CASEFLOW_ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    runner = CliRunner()

    def cli(*args: str) -> str:
        result = runner.invoke(main, ["--database-url", store_url, *args])
        assert result.exit_code == 0, result.output
        return result.output

    cli("demo")
    secretariat = "sekretariat@demo.caseflow.no"
    proposed = cli(
        "case", "propose", "--as", "atp-leder@demo.caseflow.no", "--group", "atp",
        "--title", "Sykkelvei langs E18", "--summary", "Et forslag fra faggruppen",
    )  # fmt: skip
    found = re.search(r"OR-\d{4}-\d{3}", proposed)
    assert found is not None
    ref = found.group(0)
    cli("case", "step", ref, "accept", "--as", secretariat)
    cli("case", "step", ref, "draft", "--as", secretariat, "--field", "background=Bakgrunn")
    cli(
        "case", "step", ref, "request-advice", "--as", secretariat, "--field", "deadline=2099-01-15"
    )

    assert re.search(r"\b0 sent", cli("notify", "--once")) is None
    messages = list(smtp.recorder.received)
    assert {str(m.message["Subject"]) for m in messages} == {
        f"Råd etterspurt: {ref} Sykkelvei langs E18"
    }
    per_person = Counter(to for m in messages for to in m.envelope_to)
    assert len(per_person) > 1
    assert set(per_person.values()) == {1}  # one message per person
    assert "kg@demo.caseflow.no" in per_person
    assert "observator@demo.caseflow.no" not in per_person

    assert re.search(r"\b0 sent", cli("notify", "--once"))
    assert len(smtp.recorder.received) == len(messages)
