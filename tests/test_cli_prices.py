"""`pulsewire analyze` prints a sub-cent coin's close, levels and range with their digits."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

from tests.test_cli import run


def test_analyze_prints_a_sub_cent_coins_prices_with_their_digits(
    bundled_store_file: Path, tmp_path: Path
) -> None:
    db = tmp_path / "coin.duckdb"
    shutil.copyfile(bundled_store_file, db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "UPDATE bars SET open = open * 1e-9, high = high * 1e-9, low = low * 1e-9, "
            "close = close * 1e-9, adj_close = adj_close * 1e-9 WHERE symbol = 'BTC-USD'"
        )
    shown = run("analyze", "BTC-USD", "--asof", "2025-04-07", db=db)
    real = run("analyze", "BTC-USD", "--asof", "2025-04-07", db=bundled_store_file)
    assert shown.returncode == 0 == real.returncode, shown.stderr
    assert not re.findall(r"(?<![\d.])0\.00(?![\d])", shown.stdout)
    (close,) = re.findall(r"close (\S+) on 2025-04-07", shown.stdout)
    (real_close,) = re.findall(r"close (\S+) on 2025-04-07", real.stdout)
    assert close == "0.00007924" and real_close == "79,235.34"
    table = [line for line in shown.stdout.splitlines() if re.search(r"\d{4}-\d\d-\d\d", line)]
    zones = re.findall(r"(0\.\d{8})-(0\.\d{8})", shown.stdout)
    assert table and zones
    prices = re.findall(r"│\s*(0\.\d{8})\s*│", shown.stdout)
    assert len(set(prices)) == len(prices) >= 2
    assert all(low <= high for low, high in zones) and any(low < high for low, high in zones)
