"""
End-to-end pattern flow: Redis message -> subscriber -> processor -> WebSocket.
"""
import asyncio
import json
from unittest import mock

import pytest

from src.core.services.flow_logger import flow_logger
from src.core.services.pattern_processor import PatternProcessor
from src.core.services.redis_event_subscriber import RedisEventSubscriber


def _message(symbol: str, pattern: str, flow_id: str = "flow-1", confidence: float = 0.8):
    return {
        "type": "message",
        "channel": b"tickstock.events.patterns",
        "data": json.dumps({
            "symbol": symbol,
            "pattern": pattern,
            "confidence": confidence,
            "flow_id": flow_id,
            "timestamp": 1730300000.0,
        }),
    }


@pytest.fixture
def subscriber(socketio, fake_redis):
    processor = PatternProcessor({"PATTERN_BATCH_SIZE": 1}, socketio=socketio)
    return RedisEventSubscriber(fake_redis, socketio, {}, pattern_processor=processor)


def test_pattern_event_reaches_websocket(subscriber, socketio):
    with mock.patch(
        "src.core.services.database_integration_logger.DatabaseIntegrationLogger"
    ) as db_logger_cls:
        db_logger_cls.return_value.log_checkpoint.return_value = True
        asyncio.run(subscriber._process_message(_message("AAPL", "Bull_Flag")))

    socketio.emit.assert_any_call("pattern_alert", mock.ANY, namespace="/")
    assert subscriber.stats["events_processed"] == 1


def test_flow_checkpoints_in_order(subscriber):
    flow_logger.reset()
    asyncio.run(subscriber._process_message(_message("MSFT", "Doji", flow_id="flow-42")))

    stages = [c["stage"] for c in flow_logger.checkpoints("flow-42")]
    assert stages == [
        "event_received",
        "pattern_parsed",
        "pattern_processed",
        "websocket_broadcast",
    ]


def test_event_without_symbol_is_dropped(subscriber, socketio):
    msg = _message("", "Hammer")
    asyncio.run(subscriber._process_message(msg))

    assert subscriber.stats["events_dropped"] == 1
    socketio.emit.assert_not_called()
