"""The `mirothinker` command's rough edges, as a user meets them through the installed command: `--version`, a mistyped
command, help and defaults for every argument, no traceback on bad input or a closed pipe, the model named, plurals right."""
import os, re, subprocess

import pytest

from test_cli import EXE, TRACES, run     # the installed command, as a user runs it

def _registered() -> list[str]:
    "Every command the installed package registers (each command module adds its own)."
    from mirothinker.cli.main import COMMANDS, _load_commands
    _load_commands(); return sorted(COMMANDS)


def test_version():
    from importlib.metadata import version
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"mirothinker {version('mirothinker')}"


def test_mistyped_command_gets_the_nearest_name():
    r = run("sumary", str(TRACES / "tasklog_constructed.json"))
    assert r.returncode == 2 and r.stdout == ""
    assert "no command 'sumary'; did you mean 'summary'" in r.stderr      # the nearest first (others may follow)
    r = run("veiw")
    assert "did you mean 'view'?" in r.stderr
    r = run("frobnicate")
    assert r.returncode == 2 and "no command 'frobnicate'" in r.stderr and "did you mean" not in r.stderr


def _entries(help_text: str) -> dict[str, str]:
    "Each argument of an argparse help text (positionals and options) with its help, joined over its lines."
    out, name = {}, None
    for line in help_text.split("\n\n", 2)[-1].splitlines():
        if m := re.match(r"^  (\S.*?)(?:\s{2,}(.*))?$", line):
            name = re.sub(r"\{[^}]*\}", "", m.group(1)).split(",")[-1].split()[0]; out[name] = m.group(2) or ""
        elif name and line.startswith(" " * 6): out[name] += " " + line.strip()
    return out


@pytest.mark.parametrize("cmd", _registered())
def test_every_argument_has_help_and_a_default(cmd):
    from mirothinker.cli.main import parser
    assert re.search(rf"^ +{cmd}\b", run("--help").stdout, re.M), cmd      # the installed command lists it
    r = run(cmd, "--help")
    assert r.returncode == 0, r.stderr
    entries = _entries(r.stdout)
    sub = parser()._subparsers._group_actions[0].choices[cmd]
    for a in sub._actions:
        if a.dest == "help": continue
        name = a.option_strings[-1] if a.option_strings else (a.metavar or a.dest)
        text = entries.get(name, "")
        assert text, f"`mirothinker {cmd}`: {name} has no help"
        flag = a.nargs == 0                                   # store_true: off unless given
        required = a.required or (not a.option_strings and a.nargs not in ("?", "*"))
        if not (flag or required): assert "default" in text, f"`mirothinker {cmd}`: {name} does not say its default: {text!r}"


@pytest.mark.parametrize("args,expect", [
    (["run", "--resume", "missing.jsonl"], "--resume missing.jsonl: no such file"),
    (["run", "--budget", "-3", "What is 2 + 2?"], "argument --budget: must be at least 0, got -3"),
    (["run", "--tool-timeout", "0", "q"], "argument --tool-timeout: must be above 0, got 0"),
    (["show", "nope.json"], "nope.json: no such file"),
    (["convert", str(TRACES / "tasklog_constructed.json"), "a_file/t.jsonl"], "mirothinker: a_file: File exists"),   # the folder cannot be made
])
def test_bad_input_is_one_line_not_a_traceback(tmp_path, args, expect):
    (tmp_path / "a_file").write_text("")                      # a file where a folder should be
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert expect in r.stderr and "Traceback" not in r.stderr


def test_closed_pipe_is_quiet():
    r = subprocess.run(f"'{EXE}' summary | head -3", shell=True, capture_output=True, text=True, timeout=300)
    assert len(r.stdout.splitlines()) == 3
    assert "Traceback" not in r.stderr and "BrokenPipeError" not in r.stderr, r.stderr


def test_show_and_view_name_the_model(tmp_path):
    src = TRACES / "miroeval_mirothinker17_multimodal.json"
    r = run("show", str(src), "--width", "40")
    assert r.stdout.splitlines()[0].startswith("miroeval-71  task 71  model MiroThinker-1.7  ")
    r = run("show", str(TRACES / "miroflow_message_history.json"))
    assert "model not recorded (give --model-name)" in r.stdout.splitlines()[0]
    r = run("show", str(TRACES / "miroflow_message_history.json"), "--model-name", "some-model")
    assert "  model some-model  " in r.stdout.splitlines()[0]
    r = run("view", str(src), "--run", "0", "--vs", "1", "-o", str(tmp_path / "p.html"))
    assert r.returncode == 0 and (tmp_path / "p.html").read_text().count('"model":"MiroThinker-1.7"') == 2


def test_plurals_and_histogram(tmp_path):
    r = run("convert", str(TRACES / "tasklog_constructed.json"), str(tmp_path / "t.jsonl"))
    assert r.stdout.startswith("wrote 1 trajectory to")
    r = run("summary", str(tmp_path / "t.jsonl"), str(TRACES / "miroflow_message_history.json"))
    assert "1 trajectory, 8 steps" in r.stdout and "1 trajectories" not in r.stdout and "1 steps" not in r.stdout
    r = run("show", str(TRACES / "tasklog_constructed.json"), "--run", "3")
    assert "the file holds 1 run, position 0, id" in r.stderr and "run(s)" not in r.stderr
    # two runs with the same number of calls: one row, not six "1-1" bins
    two = tmp_path / "two.jsonl"
    two.write_text((tmp_path / "t.jsonl").read_text() + (tmp_path / "t.jsonl").read_text().replace('"example-0001@', '"again@'))
    r = run("summary", str(two))
    assert r.returncode == 0, r.stderr
    hist = r.stdout.split("histogram of tool calls per trajectory:\n", 1)[1].strip().splitlines()
    assert [l.split() for l in hist] == [["4", "##############################", "2"]]
    r = run("summary")                                       # bins of whole numbers that do not overlap
    bins = [l.split()[0] for l in r.stdout.split("histogram of tool calls per trajectory:\n", 1)[1].split("\n\n")[0].splitlines()]
    assert bins[:2] == ["6-22", "23-39"] and bins[-1] == "125-136"


def test_a_full_disk_is_its_cause_in_one_line(tmp_path):
    """The system failing under a command (here a full disk: the output is a link to /dev/full, whose writes fail with
    ENOSPC) is reported with its real cause, where it happened and the file holding the traceback; exit 1, no traceback."""
    out = tmp_path / "out.jsonl"; out.symlink_to("/dev/full")
    r = run("convert", str(TRACES / "tasklog_constructed.json"), str(out))
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    first, last = r.stderr.strip().splitlines()
    assert first.startswith("mirothinker: convert failed: OSError: [Errno 28] No space left on device (at "), first
    tb = last.split(" is in ")[1].split(" (")[0]
    assert "Traceback" in open(tb).read() and "MIROTHINKER_DEBUG=1" in last
    os.unlink(tb)
