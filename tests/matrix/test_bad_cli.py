"""The bad-input matrix (tests/matrix/helpers.py), what the command line is fed: exit code 2, one clear
line per problem, no traceback, nothing written."""
from __future__ import annotations

import os
import subprocess

import pytest

from inspections import config
from tests.checksums import file_checksums
from tests.conftest import cli_command
from tests.matrix.conftest import copy_template, photo_files
from tests.matrix.helpers import (BAD_CHECK, CHECK_WHY, CSV_TEXT, LIMIT_MB, bytes_of, csv_of, ledger, missing, sized,
                                  text_of)


# (arguments, file given as the last argument or None, exit code, texts the output must hold)
CLI_CASES = [
    pytest.param(["import", "hazards"], csv_of([ledger("MX-1"), ledger("MX-2", ent=BAD_CHECK)]), 2,
                 [f"ledger.csv: row 3, column enterprise_code: '{BAD_CHECK}': {CHECK_WHY}",
                  "ledger.csv: refused, nothing was imported (1 problem(s))"],
                 id="import-hazards-wrong-check-character"),
    pytest.param(["import", "hazards"], csv_of([ledger(found="2026-03-10", deadline="2026-03-01",
                                                       rect="2026-03-20", closed="2026-03-12")]), 2,
                 ["ledger.csv: row 2, column deadline: '2026-03-01': is before found_on 2026-03-10",
                  "ledger.csv: row 2, column closed_on: '2026-03-12': is before rectified_on 2026-03-20",
                  "refused, nothing was imported (2 problem(s))"], id="import-hazards-swapped-dates"),
    pytest.param(["import", "hazards"], text_of(CSV_TEXT, encoding="utf-16"), 2,
                 ["ledger.csv: the file is neither UTF-8 nor GBK text"], id="import-hazards-utf16"),
    pytest.param(["import", "hazards"], sized(51 * 1024 * 1024), 2,
                 [f"ledger.csv: the file is 51.0 MB; the limit is {LIMIT_MB} MB"], id="import-hazards-51-mb"),
    pytest.param(["import", "hazards"], missing(), 2, ["nowhere.csv: no such file"], id="import-hazards-missing-file"),
    pytest.param(["import", "enterprises"], text_of("code,name,sectors\n", name="registry.xlsx"), 2,
                 ["registry.xlsx: not a readable .xlsx workbook (BadZipFile)"],
                 id="import-enterprises-xlsx-really-csv"),
    pytest.param(["import", "enterprises"], bytes_of(b"", name="registry.csv"), 2,
                 ["registry.csv: the file is empty"], id="import-enterprises-empty"),
    pytest.param(["checklist", "merge", "--sectors", "'; DROP TABLE hazards; --"], None, 2,
                 ["error: unknown sector ''; DROP TABLE hazards; --' (known: roads"], id="merge-sectors-sql-injection"),
    pytest.param(["code", "verify", "' OR 1=1 --"], None, 2, ['"valid": false', '"malformed_or_tampered"'],
                 id="code-verify-sql-metacharacters"),
    pytest.param(["code", "verify", "IO1.JC20260101-0001.91220100034A4B261A.20260101.签名"], None, 2,
                 ['"valid": false', '"malformed_or_tampered"'], id="code-verify-non-ascii-signature",
                 marks=()),
]


@pytest.mark.parametrize("args, build, exit_code, must", CLI_CASES)
def test_cli_bad_input(template, tmp_path, args, build, exit_code, must):
    db = copy_template(template, tmp_path / "db")
    argv = cli_command("--db", str(db), *args)
    if build is not None:
        argv.append(str(build(tmp_path, None)))
    before = file_checksums(db), photo_files(db)
    done = subprocess.run(argv, cwd=config.REPO_ROOT, capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    output = (done.stdout + done.stderr).decode("utf-8")
    assert "Traceback" not in output, output
    assert done.returncode == exit_code, output
    for text in must:
        assert text in output, output
    assert (file_checksums(db), photo_files(db)) == before
