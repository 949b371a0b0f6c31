"""
Redis Event Subscriber - TickStockPL -> TickStockAppV2 bridge.

Listens on the TickStockPL pub-sub channels, turns every message into a
``TickStockEvent`` and hands it to the pattern processor and the WebSocket
layer.  Consumer role only: this service never publishes back to TickStockPL.
"""

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Awaitable, Callable, Dict, List, Optional

import redis.asyncio as aioredis

from src.core.services.flow_logger import flow_logger
from src.core.services.database_integration_logger import (
    DatabaseIntegrationLogger, IntegrationEventType, IntegrationCheckpoint
)
from src.core.services.database_integration_logger import get_database_integration_logger

logger = logging.getLogger(__name__)

RECONNECT_DELAY_S = 2.0
MAX_RECONNECT_DELAY_S = 30.0


class EventType(Enum):
    PATTERN_DETECTED = "pattern_detected"
    BACKTEST_PROGRESS = "backtest_progress"
    BACKTEST_RESULT = "backtest_result"
    SYSTEM_HEALTH = "system_health"


@dataclass
class TickStockEvent:
    event_type: EventType
    source: str
    timestamp: float
    data: Dict[str, Any]
    channel: str = ""
    flow_id: Optional[str] = None
    received_at: float = field(default_factory=time.time)

    def to_websocket_dict(self) -> Dict[str, Any]:
        return {
            "type": self.event_type.value,
            "source": self.source,
            "timestamp": self.timestamp,
            "data": self.data,
        }


class RedisEventSubscriber:
    """Subscribes to TickStockPL channels and dispatches events."""

    CHANNELS: Dict[str, EventType] = {
        "tickstock.events.patterns": EventType.PATTERN_DETECTED,
        "tickstock.events.backtesting.progress": EventType.BACKTEST_PROGRESS,
        "tickstock.events.backtesting.results": EventType.BACKTEST_RESULT,
        "tickstock.health.status": EventType.SYSTEM_HEALTH,
    }

    def __init__(self, redis_client: aioredis.Redis, socketio, config: Dict[str, Any],
                 pattern_processor=None):
        self.redis_client = redis_client
        self.socketio = socketio
        self.config = config
        self.pattern_processor = pattern_processor
        self._pubsub: Optional[aioredis.client.PubSub] = None
        self._task: Optional[asyncio.Task] = None
        self._running = False
        self._open_flows: Dict[str, float] = {}      # flow_id -> first seen
        self._handlers: Dict[EventType, Callable[[TickStockEvent], Awaitable[None]]] = {
            EventType.PATTERN_DETECTED: self._handle_pattern_event,
            EventType.BACKTEST_PROGRESS: self._handle_backtest_progress,
            EventType.BACKTEST_RESULT: self._handle_backtest_result,
            EventType.SYSTEM_HEALTH: self._handle_system_health,
        }
        self.stats = {
            "events_received": 0,
            "events_processed": 0,
            "events_dropped": 0,
            "reconnects": 0,
            "last_event_time": None,
        }

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> bool:
        if self._running:
            return True
        try:
            self._pubsub = self.redis_client.pubsub(ignore_subscribe_messages=True)
            await self._pubsub.subscribe(*self.CHANNELS.keys())
        except aioredis.RedisError as e:
            logger.error("REDIS-SUBSCRIBER: subscribe failed: %s", e)
            return False

        self._running = True
        self._record_subscription(list(self.CHANNELS))
        self._task = asyncio.create_task(self._listen(), name="redis-event-subscriber")
        logger.info("REDIS-SUBSCRIBER: listening on %d channels", len(self.CHANNELS))
        return True

    def _record_subscription(self, channels: List[str]) -> None:
        """Write a SUBSCRIPTION row to the integration audit trail."""
        db_logger = get_database_integration_logger()
        if not db_logger:
            return
        db_logger.log_event(
            IntegrationEventType.SUBSCRIPTION,
            details={"channels": channels, "subscriber": "tickstock_app"},
        )

    async def stop(self) -> None:
        self._running = False
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

        db_logger = get_database_integration_logger()
        try:
            if db_logger:
                await db_logger.flush()   # push buffered checkpoints before exit
        finally:
            if self._pubsub is not None:
                await self._pubsub.close()
                self._pubsub = None
        logger.info("REDIS-SUBSCRIBER: stopped (%s)", self.stats)

    # ------------------------------------------------------------------ listening
    async def _listen(self) -> None:
        delay = RECONNECT_DELAY_S
        while self._running:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
                if message is None:
                    continue
                await self._process_message(message)
                delay = RECONNECT_DELAY_S
            except asyncio.CancelledError:
                raise
            except (aioredis.ConnectionError, aioredis.TimeoutError) as e:
                self.stats["reconnects"] += 1
                self._audit_connection_lost(str(e))
                logger.warning("REDIS-SUBSCRIBER: connection lost (%s), retrying in %.0fs", e, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RECONNECT_DELAY_S)
            except Exception:  # keep the loop alive no matter what
                logger.exception("REDIS-SUBSCRIBER: unexpected error while listening")

    @staticmethod
    def _audit_connection_lost(reason: str) -> None:
        db_logger = get_database_integration_logger()
        if db_logger:
            db_logger.log_event(IntegrationEventType.CONNECTION_LOST,
                                details={"reason": reason})

    async def _process_message(self, message: Dict[str, Any]) -> None:
        channel = message.get("channel")
        if isinstance(channel, bytes):
            channel = channel.decode()
        event_type = self.CHANNELS.get(channel)
        if event_type is None:
            logger.debug("REDIS-SUBSCRIBER: ignoring message on %s", channel)
            return

        try:
            data = json.loads(message["data"])
        except (TypeError, ValueError) as e:
            self.stats["events_dropped"] += 1
            logger.warning("REDIS-SUBSCRIBER: bad JSON on %s: %s", channel, e)
            return

        self.stats["events_received"] += 1
        self.stats["last_event_time"] = time.time()

        db_logger = get_database_integration_logger()
        flow_id = data.get("flow_id")
        if db_logger and not flow_id:
            flow_id = db_logger.new_flow_id()

        # Checkpoint: event pulled off the channel
        if db_logger:
            db_logger.log_checkpoint(
                flow_id,
                IntegrationCheckpoint.EVENT_RECEIVED,
                symbol=data.get("symbol"),
                details={"channel": channel},
            )
        flow_logger.log_checkpoint(flow_id, "event_received", symbol=data.get("symbol"),
                                   channel=channel)
        if flow_id:
            self._open_flows.setdefault(flow_id, time.time())

        event = TickStockEvent(
            event_type=event_type,
            source=data.get("source", "tickstock_pl"),
            timestamp=data.get("timestamp", time.time()),
            data=data,
            channel=channel,
            flow_id=flow_id,
        )
        handler = self._handlers[event_type]
        await handler(event)
        self.stats["events_processed"] += 1

    # ------------------------------------------------------------------ handlers
    async def _handle_pattern_event(self, event: TickStockEvent) -> None:
        db_logger = get_database_integration_logger()
        flow_id = event.flow_id
        pattern = event.data.get("pattern") or event.data.get("pattern_name")
        symbol = event.data.get("symbol")

        if not pattern or not symbol:
            self.stats["events_dropped"] += 1
            if db_logger:
                db_logger.log_event(IntegrationEventType.EVENT_DROPPED, flow_id=flow_id,
                                    symbol=symbol, details={"reason": "missing pattern or symbol"})
            logger.warning("REDIS-SUBSCRIBER: pattern event without pattern/symbol: %s", event.data)
            return

        if db_logger and flow_id:
            db_logger.log_checkpoint(flow_id, IntegrationCheckpoint.PATTERN_PARSED, symbol=symbol)  # parsed OK
        flow_logger.log_checkpoint(flow_id, "pattern_parsed", symbol=symbol, pattern=pattern)

        alert = {
            "pattern": pattern,
            "symbol": symbol,
            "confidence": float(event.data.get("confidence", 0.0)),
            "timeframe": event.data.get("timeframe", "daily"),
            "detected_at": event.timestamp,
        }
        if self.pattern_processor is not None:
            alert = await self.pattern_processor.process(flow_id, alert)

        started = time.time()
        self.socketio.emit("pattern_alert", {"event": alert}, namespace="/")
        latency_ms = round((time.time() - started) * 1000, 2)

        if db_logger and flow_id:
            # Close out the flow now that the browser has it
            db_logger.log_checkpoint(
                flow_id, IntegrationCheckpoint.WEBSOCKET_BROADCAST,
                symbol=symbol, latency_ms=latency_ms,
            )
            self._open_flows.pop(flow_id, None)
        flow_logger.log_checkpoint(flow_id, "websocket_broadcast", symbol=symbol,
                                   latency_ms=latency_ms)

    async def _handle_backtest_progress(self, event: TickStockEvent) -> None:
        progress = event.data.get("progress", 0)
        self.socketio.emit(
            "backtest_progress",
            {"job_id": event.data.get("job_id"), "progress": progress,
             "status": event.data.get("status", "running")},
            namespace="/",
        )

    async def _handle_backtest_result(self, event: TickStockEvent) -> None:
        data = event.data
        job_id = data.get("job_id")
        db_logger = get_database_integration_logger()
        if db_logger is not None:
            db_logger.log_event(IntegrationEventType.BACKTEST_RESULT, flow_id=event.flow_id,
                                details={"job_id": job_id, "status": data.get("status")})
            await db_logger.flush()
        self.socketio.emit("backtest_result", {"job_id": job_id, "results": data.get("results", {})},
                           namespace="/")
        flow_logger.log_checkpoint(event.flow_id, "backtest_result", job_id=job_id)

    async def _handle_system_health(self, event: TickStockEvent) -> None:
        status = event.data.get("status", "unknown")
        if status != "healthy":
            logger.warning("REDIS-SUBSCRIBER: TickStockPL reports %s: %s", status,
                           event.data.get("details"))
        self.socketio.emit("system_health", event.to_websocket_dict(), namespace="/")

    # ------------------------------------------------------------------ stats
    def get_stats(self) -> Dict[str, Any]:
        return {
            **self.stats,
            "running": self._running,
            "open_flows": len(self._open_flows),
            "channels": list(self.CHANNELS),
        }
