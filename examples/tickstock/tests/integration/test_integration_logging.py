"""Integration logging through the subscriber (checks the rows it would write)."""
import asyncio
import json
from unittest import mock

from src.core.services.database_integration_logger import IntegrationCheckpoint
from src.core.services.redis_event_subscriber import RedisEventSubscriber


def test_subscriber_logs_event_received(socketio, fake_redis):
    db_logger = mock.MagicMock()
    with mock.patch(
        "src.core.services.redis_event_subscriber.get_database_integration_logger",
        return_value=db_logger,
    ):
        sub = RedisEventSubscriber(fake_redis, socketio, {})
        msg = {"channel": "tickstock.events.patterns",
               "data": json.dumps({"symbol": "AMD", "pattern": "Doji", "flow_id": "x-1"})}
        asyncio.run(sub._process_message(msg))

    checkpoints = [c.args[1] for c in db_logger.log_checkpoint.call_args_list]
    assert checkpoints[0] is IntegrationCheckpoint.EVENT_RECEIVED
    assert IntegrationCheckpoint.WEBSOCKET_BROADCAST in checkpoints


def test_missing_flow_id_gets_generated(socketio, fake_redis):
    db_logger = mock.MagicMock()
    db_logger.new_flow_id.return_value = "generated-1"
    with mock.patch(
        "src.core.services.redis_event_subscriber.get_database_integration_logger",
        return_value=db_logger,
    ):
        sub = RedisEventSubscriber(fake_redis, socketio, {})
        msg = {"channel": "tickstock.events.patterns",
               "data": json.dumps({"symbol": "AMD", "pattern": "Doji"})}
        asyncio.run(sub._process_message(msg))

    assert db_logger.log_checkpoint.call_args_list[0].args[0] == "generated-1"
