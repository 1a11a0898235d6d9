"""Store: the one package that imports duckdb and writes SQL."""

from pulsewire.store.database import SeriesCoverage, Store, StoreCounts

__all__ = ["SeriesCoverage", "Store", "StoreCounts"]
