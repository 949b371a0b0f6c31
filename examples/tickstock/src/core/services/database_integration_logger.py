"""
Database Integration Logger

Records pattern-flow checkpoints from the TickStockPL -> TickStockAppV2
pipeline into the ``integration_events`` table, so that the path of a single
pattern event (Redis message -> parse -> processing -> WebSocket) can be
reconstructed afterwards with the ``pattern_flow_analysis`` view.

Sprint 25: added for integration diagnostics.
"""

import asyncio
import logging
import threading
import time
import uuid
from contextlib import contextmanager
from enum import Enum
from typing import Any, Dict, Iterator, List, Optional

import psycopg2
from psycopg2.extras import Json

logger = logging.getLogger(__name__)

__all__ = [
    "IntegrationEventType",
    "IntegrationCheckpoint",
    "DatabaseIntegrationLogger",
    "initialize_database_integration_logger",
    "get_database_integration_logger",
]


class IntegrationEventType(Enum):
    """Coarse event categories stored in integration_events.event_type."""

    PATTERN_DETECTED = "pattern_detected"
    PATTERN_BATCH = "pattern_batch"
    SUBSCRIPTION = "subscription"
    CONNECTION_LOST = "connection_lost"
    EVENT_DROPPED = "event_dropped"
    BACKTEST_RESULT = "backtest_result"
    REPLAY_STARTED = "replay_started"


class IntegrationCheckpoint(Enum):
    """Named points along the pattern flow (integration_events.checkpoint)."""

    EVENT_RECEIVED = "EVENT_RECEIVED"
    PATTERN_PARSED = "PATTERN_PARSED"
    PATTERN_PROCESSED = "PATTERN_PROCESSED"
    BATCH_FLUSHED = "BATCH_FLUSHED"
    WEBSOCKET_BROADCAST = "WEBSOCKET_BROADCAST"


class DatabaseIntegrationLogger:
    """Writes one row per checkpoint through ``log_integration_event()``."""

    # rows buffered before we force a round trip
    BUFFER_LIMIT = 200
    DEGRADED_AFTER_FAILURES = 5

    def __init__(self, config: Dict[str, Any], enabled: bool = True):
        self.enabled = enabled and bool(config.get("DATABASE_URI"))
        self._dsn = config.get("DATABASE_URI")
        self._source = config.get("INTEGRATION_SOURCE", "tickstock_app")
        self._conn = None
        self._lock = threading.Lock()
        self._buffer: List[tuple] = []
        self._consecutive_failures = 0

    # -- connection handling -------------------------------------------------
    def _connect(self):
        if self._conn is None or self._conn.closed:
            self._conn = psycopg2.connect(self._dsn, application_name="integration-logger")
            self._conn.autocommit = True
        return self._conn

    def new_flow_id(self) -> str:
        return str(uuid.uuid4())

    def is_degraded(self) -> bool:
        """True when writes keep failing and callers should back off."""
        return self._consecutive_failures >= self.DEGRADED_AFTER_FAILURES

    # -- writing ---------------------------------------------------------------
    def log_event(self, event_type: IntegrationEventType, flow_id: Optional[str] = None,
                  symbol: Optional[str] = None, details: Optional[Dict[str, Any]] = None) -> bool:
        if not self.enabled:
            return False
        row = (flow_id, event_type.value, None, symbol, None, Json(details or {}), self._source)
        return self._write(row)

    def log_checkpoint(self, flow_id: Optional[str], checkpoint: IntegrationCheckpoint,
                       symbol: Optional[str] = None, latency_ms: Optional[float] = None,
                       details: Optional[Dict[str, Any]] = None) -> bool:
        if not self.enabled:
            return False
        row = (flow_id, "checkpoint", checkpoint.value, symbol, latency_ms,
               Json(details or {}), self._source)
        return self._write(row)

    @contextmanager
    def timed(self, flow_id: Optional[str], checkpoint: IntegrationCheckpoint,
              symbol: Optional[str] = None) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.log_checkpoint(flow_id, checkpoint, symbol=symbol,
                                latency_ms=round((time.perf_counter() - started) * 1000, 2))

    def _write(self, row: tuple) -> bool:
        with self._lock:
            self._buffer.append(row)
            if len(self._buffer) < self.BUFFER_LIMIT:
                return True
            return self._flush_locked()

    def _flush_locked(self) -> bool:
        rows, self._buffer = self._buffer, []
        if not rows:
            return True
        try:
            with self._connect().cursor() as cur:
                for row in rows:
                    cur.execute("SELECT log_integration_event(%s, %s, %s, %s, %s, %s, %s)", row)
            self._consecutive_failures = 0
            return True
        except psycopg2.Error as exc:
            self._consecutive_failures += 1
            logger.warning("DB-INTEGRATION: dropped %d rows: %s", len(rows), exc)
            return False

    def _flush(self) -> bool:
        with self._lock:
            return self._flush_locked()

    async def flush(self) -> bool:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._flush)

    def close(self) -> None:
        with self._lock:
            self._flush_locked()
            if self._conn is not None:
                self._conn.close()
                self._conn = None


# Global instance
database_integration_logger = None


def initialize_database_integration_logger(config: Dict[str, Any]) -> DatabaseIntegrationLogger:
    global database_integration_logger
    enabled = str(config.get("INTEGRATION_LOGGING_ENABLED", "true")).lower() == "true"
    database_integration_logger = DatabaseIntegrationLogger(config, enabled=enabled)
    logger.info("DB-INTEGRATION: logger ready (enabled=%s)", database_integration_logger.enabled)
    return database_integration_logger


def get_database_integration_logger() -> Optional[DatabaseIntegrationLogger]:
    """Return the process-wide logger.

    Before ``initialize_database_integration_logger`` has run this creates a
    disabled instance, so callers never strictly need a None check (older call
    sites still do one).
    """
    global database_integration_logger
    if database_integration_logger is None:
        database_integration_logger = DatabaseIntegrationLogger({}, enabled=False)
    return database_integration_logger
