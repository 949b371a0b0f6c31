"""Unit tests for DatabaseIntegrationLogger (no database needed)."""
from unittest import mock

import pytest

from src.core.services import database_integration_logger as dil
from src.core.services.database_integration_logger import (
    DatabaseIntegrationLogger,
    IntegrationCheckpoint,
    IntegrationEventType,
)


@pytest.fixture(autouse=True)
def _reset_global():
    dil.database_integration_logger = None
    yield
    dil.database_integration_logger = None


def test_disabled_without_database_uri():
    db_logger = DatabaseIntegrationLogger({})
    assert db_logger.enabled is False
    assert db_logger.log_event(IntegrationEventType.PATTERN_DETECTED) is False


def test_get_creates_disabled_instance():
    db_logger = dil.get_database_integration_logger()
    assert db_logger is not None
    assert not db_logger.enabled
    assert dil.get_database_integration_logger() is db_logger


def test_checkpoints_are_buffered():
    db_logger = DatabaseIntegrationLogger({"DATABASE_URI": "postgresql://x"})
    with mock.patch.object(db_logger, "_flush_locked", return_value=True) as flush:
        for _ in range(3):
            assert db_logger.log_checkpoint("f-1", IntegrationCheckpoint.EVENT_RECEIVED, symbol="AAPL")
    flush.assert_not_called()
    assert len(db_logger._buffer) == 3


def test_buffer_limit_forces_flush():
    db_logger = DatabaseIntegrationLogger({"DATABASE_URI": "postgresql://x"})
    db_logger.BUFFER_LIMIT = 2
    with mock.patch.object(db_logger, "_flush_locked", return_value=True) as flush:
        db_logger.log_checkpoint("f-1", IntegrationCheckpoint.EVENT_RECEIVED)
        db_logger.log_checkpoint("f-1", IntegrationCheckpoint.PATTERN_PARSED)
    flush.assert_called_once()


def test_degraded_after_repeated_failures():
    db_logger = DatabaseIntegrationLogger({"DATABASE_URI": "postgresql://x"})
    db_logger._consecutive_failures = DatabaseIntegrationLogger.DEGRADED_AFTER_FAILURES
    assert db_logger.is_degraded()


def test_timed_records_latency():
    db_logger = DatabaseIntegrationLogger({"DATABASE_URI": "postgresql://x"})
    with mock.patch.object(db_logger, "log_checkpoint") as log_checkpoint:
        with db_logger.timed("f-2", IntegrationCheckpoint.PATTERN_PROCESSED, symbol="TSLA"):
            pass
    _, kwargs = log_checkpoint.call_args
    assert kwargs["symbol"] == "TSLA"
    assert kwargs["latency_ms"] >= 0
