"""`painpoint assess`: standard input to standard output, no server of any kind."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from painpoint.engine.tests.test_assess import CONTRACT_EXAMPLE


def run(stdin: str, *, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # Point the command at a database server that is not there: it must not need one.
    env["DATABASE_URL"] = database_url or "postgres://nobody@127.0.0.1:1/none?connect_timeout=1"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "painpoint", "assess"],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_one_object_in_one_result_out_without_any_server():
    result = run(json.dumps(CONTRACT_EXAMPLE))
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["triage"] == "appointment"
    assert output["conditions"][0]["slug"] == "sciatica-herniated-disc"


def test_an_array_in_gives_an_array_of_results_in_the_same_order():
    emergency = {**CONTRACT_EXAMPLE, "findings": ["with-saddle-numbness"]}
    result = run(json.dumps([CONTRACT_EXAMPLE, emergency]))
    assert result.returncode == 0, result.stderr
    assert [item["triage"] for item in json.loads(result.stdout)] == ["appointment", "emergency"]


def test_invalid_input_exits_2_with_one_line_per_problem_and_nothing_on_stdout():
    bad = [CONTRACT_EXAMPLE, {**CONTRACT_EXAMPLE, "age": -1, "regions": ["kne-left"]}]
    result = run(json.dumps(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "[1].age: expected an integer from 0 to 120",
        "[1].regions[0]: unknown region code 'kne-left' (did you mean 'knee-left'?)",
    ]


def test_malformed_json_exits_2():
    result = run("{oops")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("[0]: invalid JSON at line 1, column 2")


def test_python_dash_m_painpoint_assess_is_the_same_command():
    via_module = run(json.dumps(CONTRACT_EXAMPLE))
    script = os.path.join(os.path.dirname(sys.executable), "painpoint")
    env = dict(os.environ, DATABASE_URL="postgres://nobody@127.0.0.1:1/none?connect_timeout=1")
    via_script = subprocess.run(
        [script, "assess"],
        input=json.dumps(CONTRACT_EXAMPLE),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert via_script.returncode == 0
    assert json.loads(via_script.stdout) == json.loads(via_module.stdout)


def write_vignette(tmp_path, findings: list[str]) -> str:
    path = tmp_path / "one.yaml"
    case = {
        "id": "jaw-ache",
        "input": {"age": 40, "regions": ["jaw-left"], "duration_days": 10, "severity": 4},
        "expected": {"triage": "self-care", "icd10": ["M26.6"]},
    }
    case["input"]["findings"] = findings
    path.write_text(json.dumps([case]))  # JSON is YAML
    return str(path)


def test_evaluate_through_the_interview_gives_each_case_only_what_the_steps_ask(tmp_path, capsys):
    from painpoint.assessment.cli import main_evaluate

    # Pain spreading below the knee raises a sore jaw's level when fed to the engine, but the interview never
    # asks a sore jaw about the legs.
    path = write_vignette(tmp_path, ["worse-chewing", "spread-below-knee"])
    assert main_evaluate([path]) == 0
    assert "over  jaw-ache: expected self-care, got appointment" in capsys.readouterr().out
    assert main_evaluate(["--through-interview", path]) == 0
    told = capsys.readouterr().out
    assert told.startswith("Told through the interview")
    assert "Level misses (0)" in told


def test_evaluate_with_only_the_option_and_no_file_says_what_is_missing(capsys):
    from painpoint.assessment.cli import main_evaluate

    assert main_evaluate(["--through-interview"]) == 2
    assert "name at least one vignette file" in capsys.readouterr().err
