#!/usr/bin/env python3
"""Smoke test: write one synthetic flow and read it back from pattern_flow_analysis."""
import os
import sys
import time
import uuid

import psycopg2

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from src.core.services.database_integration_logger import (  # noqa: E402
    DatabaseIntegrationLogger, IntegrationCheckpoint,
)


def run() -> bool:
    dsn = os.environ.get("DATABASE_URI", "postgresql://app_readwrite@localhost/tickstock_dev")
    db_logger = DatabaseIntegrationLogger({"DATABASE_URI": dsn, "INTEGRATION_SOURCE": "smoke"})
    flow_id = f"smoke-{uuid.uuid4().hex[:8]}"
    for checkpoint in IntegrationCheckpoint:
        db_logger.log_checkpoint(flow_id, checkpoint, symbol="SPY", latency_ms=1.0)
        time.sleep(0.01)
    db_logger.close()

    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT checkpoints FROM pattern_flow_analysis WHERE flow_id = %s", (flow_id,))
        row = cur.fetchone()
    ok = row is not None and row[0] == len(IntegrationCheckpoint)
    print("OK" if ok else f"FAILED: {row}")
    return ok


if __name__ == "__main__":
    sys.exit(0 if run() else 1)
