"""
TickStockPL integration checks.

The database-backed tests need a scratch database; point TICKSTOCK_TEST_DB
at one (``postgresql://app_readwrite@localhost/tickstock_test``).
"""
import asyncio
import json
import os

import pytest

from src.core.services.database_integration_logger import (  # integration_events checks
    IntegrationCheckpoint,
    get_database_integration_logger,
)
from src.core.services.redis_event_subscriber import EventType, RedisEventSubscriber

DB_URL = os.environ.get("TICKSTOCK_TEST_DB")


@pytest.fixture
def db_conn():
    import psycopg2

    conn = psycopg2.connect(DB_URL)
    conn.autocommit = True
    yield conn
    conn.close()


def _count_integration_events(conn, flow_id, checkpoint=None) -> int:
    sql = "SELECT COUNT(*) FROM integration_events WHERE flow_id = %s"
    params = [flow_id]
    if checkpoint is not None:
        sql += " AND checkpoint = %s"
        params.append(checkpoint.value)
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()[0]


def test_channel_map_covers_every_event_type():
    assert set(RedisEventSubscriber.CHANNELS.values()) == set(EventType)


def test_health_message_is_forwarded(socketio, fake_redis):
    sub = RedisEventSubscriber(fake_redis, socketio, {})
    msg = {"channel": "tickstock.health.status",
           "data": json.dumps({"status": "healthy", "flow_id": "h-1"})}
    asyncio.run(sub._process_message(msg))
    socketio.emit.assert_called_once()


@pytest.mark.integration
@pytest.mark.skipif(not DB_URL, reason="needs TICKSTOCK_TEST_DB")
def test_flow_recorded_in_integration_events(db_conn, socketio, fake_redis):
    sub = RedisEventSubscriber(fake_redis, socketio, {})
    msg = {"channel": "tickstock.events.patterns",
           "data": json.dumps({"symbol": "NVDA", "pattern": "Hammer", "flow_id": "it-7"})}
    asyncio.run(sub._process_message(msg))
    asyncio.run(get_database_integration_logger().flush())

    assert _count_integration_events(db_conn, "it-7", IntegrationCheckpoint.EVENT_RECEIVED) == 1
    assert _count_integration_events(db_conn, "it-7") >= 3
