import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_proofs_and_checks_inside_osp(tmp_path):
    had_build = (ROOT / "build").exists()
    try:
        _check_wheel(tmp_path)
    finally:
        if not had_build:  # setuptools builds in ./build; leave the tree as it was
            shutil.rmtree(ROOT / "build", ignore_errors=True)


def _check_wheel(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("osp-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "osp/proofs/graph.py" in names and "osp/checks/z3_backend.py" in names
    assert "osp/cli.py" in names
    top = {n.split("/")[0] for n in names}
    assert "proofs" not in top and "checks" not in top, top
    data = sorted((ROOT / "osp/registry/data").glob("*.toml"))
    assert len(data) >= 60
    for toml in data:
        assert toml.relative_to(ROOT).as_posix() in names, f"{toml.name} would not ship"
    for source in (ROOT / "osp").rglob("*.py"):
        rel = source.relative_to(ROOT).as_posix()
        assert rel in names, f"{rel} would not ship: add its package to pyproject.toml"
