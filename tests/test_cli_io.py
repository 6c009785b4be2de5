"""The console script's contract at its edges: closed pipes and file names in errors."""

import os
import subprocess
import sys
from pathlib import Path

from osp.cli import EXIT_BROKEN_PIPE, main
from osp.commands import registry

ROOT = Path(__file__).resolve().parents[1]
REFUTED_CLAIM = ROOT / "examples" / "claims" / "refuted_rwkv4_169m_1m_context.toml"


def test_a_closed_pipe_never_reads_as_a_pass():
    # `osp audit refuted.toml | head` must not exit 0: the reader saw no verdict
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write now fails with EPIPE
    try:
        proc = subprocess.run([sys.executable, "-m", "osp.cli", "audit", str(REFUTED_CLAIM)],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    finally:
        os.close(write_end)
    assert proc.returncode == EXIT_BROKEN_PIPE, proc.returncode  # not 0-2, nor 3 (an internal error)
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


def test_malformed_toml_names_the_file_by_the_path_given(capsys, tmp_path):
    bad = tmp_path / "sub" / "box.toml"
    bad.parent.mkdir()
    bad.write_text("[ranges\n")
    code = main(["check", "--ranges", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and f"{bad}: malformed TOML" in err


def test_report_out_that_is_a_folder_is_bad_input(capsys, tmp_path):
    code = main(["report", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "is a folder" in err and len(err.strip().splitlines()) == 1


def test_report_results_folder_that_does_not_exist_is_bad_input(capsys, tmp_path):
    # a typo in --results must not silently render "no measurements"
    code = main(["report", "--results", str(tmp_path / "typo"), "--out", str(tmp_path / "r.html")])
    err = capsys.readouterr().err
    assert code == 2 and "no such folder" in err and not (tmp_path / "r.html").exists()


def test_an_internal_error_is_one_line(capsys, monkeypatch):
    def boom(args):
        raise NotImplementedError("first line\nPlease file an issue to PyTorch at ...")
    monkeypatch.setattr(registry, "run", boom)
    code = main(["registry"])
    err = capsys.readouterr().err
    assert code == 3 and err == "osp: internal error: NotImplementedError: first line\n"
