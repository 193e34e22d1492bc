"""All outputs of one command, or none: failures, interrupts and signals leave nothing
behind (no temporary file, no picture without its results)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import AccordError
from accord.io import outputs as outputs_module
from accord.io.outputs import Outputs, write_text

runner = CliRunner()


def test_two_outputs_are_committed_together(tmp_path: Path) -> None:
    with Outputs(tmp_path / "a.txt", tmp_path / "b.txt") as outputs:
        outputs.write_text(tmp_path / "a.txt", "A")
        outputs.write_text(tmp_path / "b.txt", "B")
        assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == []
    assert (tmp_path / "a.txt").read_text() == "A"
    assert (tmp_path / "b.txt").read_text() == "B"
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "b.txt"]


def test_an_error_after_staging_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("before")
    outputs = Outputs(tmp_path / "a.txt", tmp_path / "b.txt")

    def fail_after_staging() -> None:
        with outputs:
            outputs.write_text(tmp_path / "a.txt", "A")
            outputs.write_text(tmp_path / "b.txt", "B")
            raise RuntimeError("the command failed after staging")

    with pytest.raises(RuntimeError):
        fail_after_staging()
    assert os.listdir(tmp_path) == ["b.txt"]
    assert (tmp_path / "b.txt").read_text() == "before"


def test_a_failed_rename_removes_the_new_files_already_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def replace(source: str, target: Path) -> None:
        if Path(target).name == "b.txt":
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(outputs_module.os, "replace", replace)
    outputs = Outputs(tmp_path / "a.txt", tmp_path / "b.txt")
    outputs.write_text(tmp_path / "a.txt", "A")
    outputs.write_text(tmp_path / "b.txt", "B")
    with pytest.raises(AccordError, match=r"b\.txt: cannot write: No space left on device"):
        outputs.commit()
    assert os.listdir(tmp_path) == []


def test_the_same_file_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real.png").write_bytes(b"")
    (tmp_path / "link.png").symlink_to("real.png")
    with pytest.raises(AccordError, match="name the same file"):
        Outputs(tmp_path / "real.png", tmp_path / "link.png")
    code = runner.invoke(
        app, ["simulate", "-r", "5", "-o", str(tmp_path / "x"), "--plot", str(tmp_path / "x")]
    ).exit_code
    assert code == 2
    assert sorted(os.listdir(tmp_path)) == ["link.png", "real.png"]


def test_the_plot_does_not_stay_when_the_results_cannot_be_written(tmp_path: Path) -> None:
    """``--plot`` staged, then ``-o`` fails at the end (a full device): neither stays."""
    if os.geteuid() != 0:
        pytest.skip("making a character device with mknod needs root")
    full = tmp_path / "full"
    os.mknod(full, 0o666 | 0o020000, os.makedev(1, 7))
    for command in (
        ["simulate", "-r", "10", "-f", "json"],
        ["forecast", "-f", "json"],
        ["mediate", "berlin-2025-us-proposal", "-f", "json"],
    ):
        result = runner.invoke(app, [*command, "--plot", str(tmp_path / "p.png"), "-o", str(full)])
        if "Permission denied" in result.stderr:
            pytest.skip("this file system refuses device files (nodev)")
        assert result.exit_code == 2, result.stderr
        assert "No space left on device" in result.stderr
        assert sorted(os.listdir(tmp_path)) == ["full"]


SIGNALLED = """
import os, signal, sys
from pathlib import Path
from accord.io.outputs import Outputs

folder = Path(sys.argv[1])
{before}
with Outputs(folder / "a.txt", folder / "b.txt") as outputs:
    outputs.write_text(folder / "a.txt", "A")
    with outputs.open(folder / "b.txt") as handle:
        handle.write(b"half")
        assert len(os.listdir(folder)) == 2  # two hidden temporary files
        os.kill(os.getpid(), signal.{name})
print("not reached")
"""


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_the_final_write_removes_the_temporary_files(
    tmp_path: Path, name: str
) -> None:
    script = SIGNALLED.format(before="", name=name)
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == -getattr(signal, name), done.stderr
    assert "not reached" not in done.stdout
    assert os.listdir(tmp_path) == []


def test_a_handler_installed_before_still_runs_after_the_cleanup(tmp_path: Path) -> None:
    before = textwrap.dedent(
        """
        def stop(signum, frame):
            print("handler ran; temporaries left:", len(os.listdir(folder)))
            raise SystemExit(143)
        signal.signal(signal.SIGTERM, stop)
        """
    )
    script = SIGNALLED.format(before=before, name="SIGTERM")
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 143, done.stderr
    assert "handler ran; temporaries left: 0" in done.stdout
    assert os.listdir(tmp_path) == []


def test_write_text_turns_os_errors_into_located_messages(tmp_path: Path) -> None:
    with pytest.raises(AccordError, match=r"cannot write: it is a folder"):
        write_text(tmp_path, "x")
    with pytest.raises(AccordError, match=r"nowhere.*does not exist"):
        write_text(tmp_path / "nowhere" / "x.txt", "x")


SCRIPT = shutil.which("accord", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(SCRIPT is None, reason="the accord console script is not installed")
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_signal_while_the_results_wait_for_their_reader_leaves_nothing(
    tmp_path: Path, name: str
) -> None:
    """The plot is staged (a hidden temporary file) while the results wait for a FIFO's
    reader: the signal ends the command and removes the temporary file."""
    assert SCRIPT is not None
    fifo = tmp_path / "results.json"
    os.mkfifo(fifo)
    plot = tmp_path / "p.png"
    process = subprocess.Popen(
        [SCRIPT, "simulate", "-r", "10", "-f", "json", "-o", str(fifo), "--plot", str(plot)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(1200):  # wait (up to two minutes) for the staged plot
            if any(n.startswith(".p.png.") for n in os.listdir(tmp_path)):
                break
            if process.poll() is not None:
                break
            time.sleep(0.1)
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        process.send_signal(getattr(signal, name))
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode in (-getattr(signal, name), 128 + getattr(signal, name))
    assert os.listdir(tmp_path) == ["results.json"]
