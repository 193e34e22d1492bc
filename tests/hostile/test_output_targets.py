"""Hostile and careless output targets, for every command that writes a file.

Each command is run through the Typer app with its output (``-o``, ``--plot``) aimed at
every kind of target: a new file, an existing file, a missing folder, a folder, links
(to a file, to nothing, to a folder), a FIFO with a reader, a character device made
with ``mknod`` in a temporary folder (never the system's own), a socket. Regular files
are written whole; devices and FIFOs in place, never replaced; the rest refused with
a located message and exit 2. Afterwards the folder holds exactly what it should: no
stray temporary file, nothing created beside a refusal.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()

GENIUS_DOMAIN = """<?xml version="1.0" encoding="UTF-8"?>
<negotiation_template><utility_space number_of_issues="1">
<objective index="0" name="root" type="objective" etype="objective">
  <issue index="1" name="Colour" type="discrete" etype="discrete" vtype="discrete">
    <item index="1" value="red"/><item index="2" value="blue"/>
  </issue>
</objective></utility_space></negotiation_template>
"""
GENIUS_PROFILE = """<utility_space><objective index="0" name="root" type="objective">
<weight index="1" value="1"/>
<issue index="1" name="Colour" type="discrete">
<item value="red" evaluation="1"/><item value="blue" evaluation="2"/></issue>
</objective><reservation value="0.25"/></utility_space>
"""
TOURNAMENT_SPEC = """\
name: tiny
seed: 7
repetitions: 1
rounds: 10
strategies: [boulware, conceder]
protocols: [alternating]
scenarios:
  - scenario: berlin-2025
    parties: [ukraine, united-states]
"""


def _json(data: bytes) -> None:
    json.loads(data, parse_constant=_refuse_constant)


def _refuse_constant(name: str) -> None:
    raise AssertionError(f"invalid JSON constant {name}")


def _png(data: bytes) -> None:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")


def _csv(data: bytes) -> None:
    assert data.startswith(b"run,cell,") or data.startswith(b"model,issue,")


def _yaml(data: bytes) -> None:
    assert b"issues:" in data
    assert b"parties:" in data


@dataclass(frozen=True)
class Command:
    """A command line writing one file: ``args(inputs, target)``; ``suffix`` of the
    target's name; ``check`` of the bytes written; ``beside``: what the command writes
    beside a regular file it writes (a tournament's results manifest)."""

    args: Callable[[Path, Path], list[str]]
    suffix: str
    check: Callable[[bytes], None]
    beside: tuple[str, ...] = ()

    def files(self, name: str) -> set[str]:
        """The regular file ``name`` and what the command writes beside it."""
        return {name, *(name + extra for extra in self.beside)}


def _genius_folder(inputs: Path) -> str:
    folder = inputs / "Colours"
    folder.mkdir(exist_ok=True)
    (folder / "colours.xml").write_text(GENIUS_DOMAIN, encoding="utf-8")
    (folder / "buyer.xml").write_text(GENIUS_PROFILE, encoding="utf-8")
    return str(folder)


def _spec(inputs: Path) -> str:
    path = inputs / "tiny.yaml"
    path.write_text(TOURNAMENT_SPEC, encoding="utf-8")
    return str(path)


DRAFT = "berlin-2025-berlin-draft"
EARLIER = "berlin-2025-us-proposal"
COMMANDS: dict[str, Command] = {
    "analyze": Command(lambda i, t: ["analyze", "-f", "json", "-o", str(t)], ".json", _json),
    "analyze-text": Command(lambda i, t: ["analyze", "-o", str(t)], ".txt", bytes.strip),
    "import-genius": Command(
        lambda i, t: ["import", "genius", _genius_folder(i), "-o", str(t)], ".yaml", _yaml
    ),
    "simulate": Command(
        lambda i, t: ["simulate", "-r", "20", "-f", "json", "-o", str(t)], ".json", _json
    ),
    "simulate-plot": Command(
        lambda i, t: ["simulate", "-r", "20", "-f", "json", "--plot", str(t)], ".png", _png
    ),
    "tournament": Command(
        lambda i, t: ["tournament", _spec(i), "--workers", "1", "-o", str(t)],
        ".csv",
        _csv,
        beside=(".manifest.json",),
    ),
    "forecast": Command(lambda i, t: ["forecast", "-f", "csv", "-o", str(t)], ".csv", _csv),
    "forecast-plot": Command(
        lambda i, t: ["forecast", "-f", "json", "--plot", str(t)], ".png", _png
    ),
    "diff": Command(
        lambda i, t: ["diff", EARLIER, DRAFT, "-f", "json", "-o", str(t)], ".json", _json
    ),
    "review": Command(lambda i, t: ["review", DRAFT, "-f", "json", "-o", str(t)], ".json", _json),
    "amend": Command(lambda i, t: ["amend", DRAFT, "-f", "json", "-o", str(t)], ".json", _json),
    "mediate": Command(
        lambda i, t: ["mediate", EARLIER, "-f", "json", "-o", str(t)], ".json", _json
    ),
    "mediate-plot": Command(
        lambda i, t: ["mediate", EARLIER, "-f", "json", "--plot", str(t)], ".png", _png
    ),
}


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """``inputs`` (spec files, GENIUS folders) apart from ``out``, the folder whose
    listing every test checks."""
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    inputs.mkdir()
    out.mkdir()
    return inputs, out


def run(command: Command, inputs: Path, target: Path) -> tuple[int, str]:
    result = runner.invoke(app, command.args(inputs, target))
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr


def listing(folder: Path) -> set[str]:
    return set(os.listdir(folder))


PARAMETERS = pytest.mark.parametrize("name", sorted(COMMANDS))


@PARAMETERS
def test_a_new_file_is_written_whole(name: str, folders: tuple[Path, Path]) -> None:
    inputs, out = folders
    command = COMMANDS[name]
    target = out / f"result{command.suffix}"
    code, err = run(command, inputs, target)
    assert code == 0, err
    command.check(target.read_bytes())
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~current_umask()
    assert listing(out) == command.files(target.name)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@PARAMETERS
def test_an_existing_file_is_replaced_and_keeps_its_permissions(
    name: str, folders: tuple[Path, Path]
) -> None:
    inputs, out = folders
    command = COMMANDS[name]
    target = out / f"result{command.suffix}"
    target.write_bytes(b"old")
    target.chmod(0o640)
    code, err = run(command, inputs, target)
    assert code == 0, err
    command.check(target.read_bytes())
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert listing(out) == command.files(target.name)


@PARAMETERS
def test_a_missing_folder_is_refused(name: str, folders: tuple[Path, Path]) -> None:
    inputs, out = folders
    command = COMMANDS[name]
    target = out / "missing" / f"result{command.suffix}"
    code, err = run(command, inputs, target)
    assert code == 2
    assert "does not exist" in err
    assert "missing" in err
    assert listing(out) == set()


@PARAMETERS
def test_a_folder_is_refused(name: str, folders: tuple[Path, Path]) -> None:
    inputs, out = folders
    command = COMMANDS[name]
    target = out / f"folder{command.suffix}"
    target.mkdir()
    code, err = run(command, inputs, target)
    assert code == 2
    assert f"{target}: cannot write: it is a folder" in err
    assert listing(out) == {target.name}
    assert listing(target) == set()


@PARAMETERS
def test_a_link_to_a_file_writes_the_file_and_stays_a_link(
    name: str, folders: tuple[Path, Path]
) -> None:
    inputs, out = folders
    command = COMMANDS[name]
    real = out / f"real{command.suffix}"
    real.write_bytes(b"old")
    link = out / f"link{command.suffix}"
    link.symlink_to(real.name)
    code, err = run(command, inputs, link)
    assert code == 0, err
    assert link.is_symlink()
    command.check(real.read_bytes())
    assert listing(out) == {*command.files(real.name), link.name}


@PARAMETERS
def test_a_link_to_nothing_creates_its_target(name: str, folders: tuple[Path, Path]) -> None:
    inputs, out = folders
    command = COMMANDS[name]
    link = out / f"link{command.suffix}"
    link.symlink_to(f"created{command.suffix}")
    code, err = run(command, inputs, link)
    assert code == 0, err
    assert link.is_symlink()
    command.check((out / f"created{command.suffix}").read_bytes())
    assert listing(out) == {link.name, *command.files(f"created{command.suffix}")}


@PARAMETERS
def test_a_link_to_a_folder_is_refused(name: str, folders: tuple[Path, Path]) -> None:
    inputs, out = folders
    command = COMMANDS[name]
    (out / "folder").mkdir()
    link = out / f"link{command.suffix}"
    link.symlink_to("folder")
    code, err = run(command, inputs, link)
    assert code == 2
    assert "a link to" in err
    assert "it is a folder" in err
    assert listing(out) == {"folder", link.name}
    assert link.is_symlink()
    assert listing(out / "folder") == set()


@contextmanager
def fifo_reader(fifo: Path) -> Iterator[list[bytes]]:
    """Read everything written to ``fifo`` in a thread; the list holds it afterwards.
    If the command never opened the FIFO, the reader is released (no hang)."""
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as stream:
            received.append(stream.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    try:
        yield received
    finally:
        if thread.is_alive() and not received:
            with suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # EOF for the reader
        thread.join(timeout=30)
        assert not thread.is_alive()


@PARAMETERS
def test_a_fifo_is_written_in_place(name: str, folders: tuple[Path, Path]) -> None:
    inputs, out = folders
    command = COMMANDS[name]
    fifo = out / f"pipe{command.suffix}"
    os.mkfifo(fifo)
    with fifo_reader(fifo) as received:
        code, err = run(command, inputs, fifo)
    assert code == 0, err
    command.check(received[0])
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert listing(out) == {fifo.name}


def make_device(folder: Path, name: str, major: int, minor: int) -> Path:
    """A character device in ``folder`` (root only): never the system's own."""
    if os.geteuid() != 0:
        pytest.skip("making a character device with mknod needs root")
    device = folder / name
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
    except PermissionError as error:
        pytest.skip(f"mknod refused here: {error}")
    return device


@PARAMETERS
def test_a_character_device_is_written_in_place_never_replaced(
    name: str, folders: tuple[Path, Path]
) -> None:
    inputs, out = folders
    command = COMMANDS[name]
    device = make_device(out, f"null{command.suffix}", 1, 3)  # like /dev/null
    link = out / f"to-null{command.suffix}"
    for link_or_device in (device, link):
        if link_or_device == link:
            link.symlink_to(device.name)
        code, err = run(command, inputs, link_or_device)
        if code == 2 and "Permission denied" in err:
            pytest.skip(f"this file system refuses device files (nodev): {err}")
        assert code == 0, err
        assert stat.S_ISCHR(device.lstat().st_mode)
        assert device.stat().st_rdev == os.makedev(1, 3)
    assert listing(out) == {device.name, link.name}


@PARAMETERS
def test_a_full_device_is_a_located_error(name: str, folders: tuple[Path, Path]) -> None:
    inputs, out = folders
    command = COMMANDS[name]
    device = make_device(out, f"full{command.suffix}", 1, 7)  # like /dev/full
    code, err = run(command, inputs, device)
    if "Permission denied" in err:
        pytest.skip(f"this file system refuses device files (nodev): {err}")
    assert code == 2
    assert f"{device}: cannot write: No space left on device" in err
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert listing(out) == {device.name}


@pytest.mark.parametrize("name", ["analyze", "tournament", "mediate-plot"])
def test_a_socket_is_refused(name: str, folders: tuple[Path, Path]) -> None:
    inputs, out = folders
    command = COMMANDS[name]
    path = out / f"s{command.suffix}"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        code, err = run(command, inputs, path)
    assert code == 2
    assert "it is a socket" in err
    assert listing(out) == {path.name}


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere: permissions not tested")
@pytest.mark.parametrize("name", ["analyze", "tournament", "forecast-plot"])
def test_an_unwritable_folder_or_file_is_refused(name: str, folders: tuple[Path, Path]) -> None:
    inputs, out = folders
    command = COMMANDS[name]
    locked = out / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        code, err = run(command, inputs, locked / f"result{command.suffix}")
        assert code == 2
        assert "is not writable" in err
        read_only = out / f"read-only{command.suffix}"
        read_only.write_bytes(b"keep")
        read_only.chmod(0o444)
        code, err = run(command, inputs, read_only)
        assert code == 2
        assert "read-only" in err
        assert read_only.read_bytes() == b"keep"
    finally:
        locked.chmod(0o755)
    assert listing(locked) == set()
