#!/usr/bin/env python3
"""Print checkpoint latency percentiles from integration_events every N seconds."""
import argparse
import os
import time

import psycopg2

LATENCY_SQL = """
SELECT checkpoint,
       COUNT(*)                                               AS n,
       percentile_cont(0.50) WITHIN GROUP (ORDER BY latency_ms) AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
  FROM integration_events
 WHERE timestamp > NOW() - (%s || ' minutes')::interval
   AND latency_ms IS NOT NULL
 GROUP BY checkpoint
 ORDER BY checkpoint
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--window", type=int, default=15, help="minutes")
    parser.add_argument("--every", type=int, default=30, help="seconds between reports")
    args = parser.parse_args()
    dsn = os.environ.get("DATABASE_URI", "postgresql://app_readwrite@localhost/tickstock_dev")
    with psycopg2.connect(dsn) as conn:
        while True:
            with conn.cursor() as cur:
                cur.execute(LATENCY_SQL, (args.window,))
                rows = cur.fetchall()
            print(time.strftime("%H:%M:%S"), "-" * 50)
            for checkpoint, n, p50, p95 in rows:
                print(f"  {checkpoint:<22} n={n:<6} p50={p50 or 0:7.2f}ms p95={p95 or 0:7.2f}ms")
            time.sleep(args.every)


if __name__ == "__main__":
    main()
