"""The README's commands install the system packages they need (bubblewrap; for the tests also chromium and fonts-noto-cjk)
when the user may, and say what to install when not; `.ci/run` has no copy of that step.

`scripts/install.sh --system` runs here with a PATH of stand-ins: `id` (root or not), `sudo` (passwordless, asking for a
password, or absent), `apt-get` (working, failing, or absent), each logging how it was called. The real apt-get is run by
CI on a fresh machine."""
import os, shutil, subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FAKES = {
    "id": '#!/bin/bash\n[ "$1" = -u ] && echo "$FAKE_UID" || echo "uid=$FAKE_UID"\n',
    "sudo": '#!/bin/bash\necho "sudo $*" >> "$LOG"\nif [ "$1" = -n ] && [ "$2" = true ]; then exit "${FAKE_SUDO_RC:-0}"; fi\n'
            '[ "$1" = -n ] && shift\nexec "$@"\n',
    "apt-get": '#!/bin/bash\necho "apt-get $*" >> "$LOG"\nexit "${FAKE_APT_RC:-0}"\n',
    "bwrap": "#!/bin/bash\n", "chromium": "#!/bin/bash\n",
    "dpkg-query": '#!/bin/bash\nfor p in $FAKE_INSTALLED; do [ "$p" = "${@: -1}" ] && { echo -n "install ok installed"; exit 0; }; done\nexit 1\n',
}


def run_system(tmp_path, *args, have=(), uid=1000, sudo_rc=None, apt_rc=0, installed=""):
    "Run `install.sh --system ARGS` with stand-ins; `have` names the stand-ins present (besides id). Its output and the log."
    bin_ = tmp_path / "bin"; bin_.mkdir(parents=True)
    for tool in ("bash", "dirname", "grep"): (bin_ / tool).symlink_to(shutil.which(tool))
    for name in ("id",) + tuple(have):
        (bin_ / name).write_text(FAKES[name]); (bin_ / name).chmod(0o755)
    log = tmp_path / "log"; log.touch()
    env = {"PATH": str(bin_), "LOG": str(log), "FAKE_UID": str(uid), "FAKE_APT_RC": str(apt_rc), "FAKE_INSTALLED": installed}
    if sudo_rc is not None: env["FAKE_SUDO_RC"] = str(sudo_rc)
    p = subprocess.run(["bash", str(ROOT / "scripts/install.sh"), "--system", *args], env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr   # the step never stops the install: test.sh decides (python -m mirothinker.tools.sandbox)
    return p.stdout, log.read_text().splitlines()


ALL = "bubblewrap chromium fonts-noto-cjk"


def test_root_installs_what_is_missing(tmp_path):
    out, log = run_system(tmp_path, "dev", have=["apt-get"], uid=0)
    assert log == ["apt-get update -qq", f"apt-get install -y -qq {ALL}"]
    assert f"== system packages missing: {ALL}" in out and f"== installed {ALL}" in out


def test_passwordless_sudo_installs(tmp_path):
    out, log = run_system(tmp_path, "dev", have=["apt-get", "sudo"], sudo_rc=0)
    assert log == ["sudo -n true", "sudo -n apt-get update -qq", "apt-get update -qq",
                   f"sudo -n apt-get install -y -qq {ALL}", f"apt-get install -y -qq {ALL}"]


@pytest.mark.parametrize("sudo", ["asks for a password", "absent"])
def test_without_root_or_sudo_it_says_what_to_install(tmp_path, sudo):
    have = ["apt-get", "sudo"] if sudo != "absent" else ["apt-get"]
    out, log = run_system(tmp_path, "dev", have=have, sudo_rc=1)
    assert not [l for l in log if "apt-get" in l]
    assert "not root, and sudo needs a password" in out and f"    sudo apt-get install -y {ALL}\n" in out
    assert "bubblewrap: model-written code is refused without it" in out


def test_apt_failure_says_what_to_install(tmp_path):
    out, log = run_system(tmp_path, "dev", have=["apt-get"], uid=0, apt_rc=100)
    assert log == ["apt-get update -qq"] and "apt-get could not install them" in out and f"sudo apt-get install -y {ALL}" in out


def test_no_apt_get_names_the_packages(tmp_path):
    out, log = run_system(tmp_path, "dev", uid=0)
    assert log == [] and f"there is no apt-get here: install {ALL} (Debian names)" in out


def test_only_what_is_missing_and_only_bubblewrap_without_dev(tmp_path):
    out, log = run_system(tmp_path, have=["apt-get"], uid=0)                      # run.sh's install: bubblewrap only
    assert log == ["apt-get update -qq", "apt-get install -y -qq bubblewrap"]
    out, log = run_system(tmp_path / "b", "dev", have=["apt-get", "bwrap", "chromium", "dpkg-query"], uid=0, installed="fonts-noto-cjk")
    assert (out, log) == ("", [])
    out, log = run_system(tmp_path / "c", "dev", have=["apt-get", "bwrap", "dpkg-query"], uid=0)
    assert log[-1] == "apt-get install -y -qq chromium fonts-noto-cjk"


def test_the_commands_use_the_step_and_ci_has_no_copy():
    test, ci, run = [(ROOT / p).read_text() for p in ("scripts/test.sh", ".ci/run", "scripts/run.sh")]
    assert "bash scripts/install.sh" in run and "bash scripts/install.sh dev" in test and "bash scripts/install.sh dev" in ci
    assert test.index("\npython3 -m mirothinker.tools.sandbox\n") < test.index("\nnbdev-test\n")   # stop early, saying why
    assert "apt-get" not in ci
