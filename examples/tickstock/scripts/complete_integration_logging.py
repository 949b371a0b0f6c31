#!/usr/bin/env python3
"""
Back-fill missing WEBSOCKET_BROADCAST checkpoints for flows that were
received but never closed (subscriber restarts in the middle of a flow).

Usage: python scripts/complete_integration_logging.py --since 2024-10-01
"""
import argparse
import os
import sys
from datetime import datetime

import psycopg2

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from src.core.services.database_integration_logger import (  # noqa: E402
    IntegrationCheckpoint,
    initialize_database_integration_logger,
)

OPEN_FLOWS_SQL = """
SELECT flow_id, MAX(symbol) AS symbol
  FROM integration_events
 WHERE timestamp >= %s
 GROUP BY flow_id
HAVING bool_and(checkpoint IS DISTINCT FROM %s)
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--since", required=True, type=datetime.fromisoformat)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)

    dsn = os.environ.get("DATABASE_URI", "postgresql://app_readwrite@localhost/tickstock_dev")
    db_logger = initialize_database_integration_logger({"DATABASE_URI": dsn})
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(OPEN_FLOWS_SQL, (args.since, IntegrationCheckpoint.WEBSOCKET_BROADCAST.value))
        open_flows = cur.fetchall()

    print(f"{len(open_flows)} open flows since {args.since:%Y-%m-%d}")
    if args.dry_run:
        return 0
    for flow_id, symbol in open_flows:
        db_logger.log_checkpoint(flow_id, IntegrationCheckpoint.WEBSOCKET_BROADCAST,
                                 symbol=symbol, details={"backfilled": True})
    db_logger.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
