"""TickStockAppV2 - real-time pattern alerts for the TickStock web UI."""

__version__ = "2.31.4"
