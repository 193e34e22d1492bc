"""docs/how-to/serve.md cannot rot: its ``sh`` blocks run, in order, with bash.

The doc starts ``accord serve`` itself on the free port this test gives it (via
``ACCORD_PORT``) on 127.0.0.1, in a temporary folder, and stops it in its last block.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from servicekit import free_port

DOC = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "serve.md"
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)


def test_every_command_of_the_serve_guide_runs(tmp_path: Path) -> None:
    blocks = SH_BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 10
    script = "\n".join(
        ["set -euo pipefail", "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT", *blocks]
    )
    env = {key: value for key, value in os.environ.items() if key != "ACCORD_SERVICE_KEY"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["ACCORD_PORT"] = str(free_port())
    result = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    log = (tmp_path / "serve.log").read_text() if (tmp_path / "serve.log").exists() else ""
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n--- server ---\n{log}"
    out = result.stdout
    assert "agreed" in out
    assert "chain intact" in out
    assert '"revealed":false' in out
    assert "settles:" in (tmp_path / "agreed.yaml").read_text()
    assert "created the encryption key" in out
