"""
Pattern processor: enriches pattern alerts and batches them for the UI.

Alerts coming from the Redis subscriber are scored against the user's
watchlists, buffered, and flushed to the WebSocket layer in small batches.
"""
from __future__ import annotations

import logging
import time
from collections import deque
from typing import TYPE_CHECKING, Any, Deque, Dict, List, Optional

from src.core.services.flow_logger import flow_logger
from src.core.services.database_integration_logger import (
    IntegrationCheckpoint,
    IntegrationEventType,
    get_database_integration_logger,
)

if TYPE_CHECKING:
    from src.core.services.database_integration_logger import DatabaseIntegrationLogger

logger = logging.getLogger(__name__)

_BATCH_SIZE = 25
_MIN_BATCH_SIZE = 5
_CONFIDENCE_FLOOR = 0.55

# pattern name -> display priority; unknown patterns sort last
PATTERN_PRIORITY: Dict[str, int] = {
    "Bull_Flag": 1, "Bear_Flag": 1,
    "Head_Shoulders": 2, "Double_Bottom": 2,
    "Doji": 5, "Hammer": 4,
}


class PatternProcessor:
    """Scores alerts and hands them to Socket.IO in batches."""

    def __init__(self, config: Dict[str, Any], socketio=None) -> None:
        self.config = config
        self.socketio = socketio
        self._batch_size = int(config.get("PATTERN_BATCH_SIZE", _BATCH_SIZE))
        self._pending: Deque[Dict[str, Any]] = deque(maxlen=10 * self._batch_size)
        self._db_logger = get_database_integration_logger()
        """Integration audit sink (disabled instance when auditing is off)."""
        self._stats = {"processed": 0, "batches": 0, "below_floor": 0}

        if self._db_logger:
            logger.info("PATTERN-PROCESSOR: Database integration logger attached")

    # ------------------------------------------------------------------ public
    async def process(self, flow_id: Optional[str], alert: Dict[str, Any]) -> Dict[str, Any]:
        symbol = alert.get("symbol")
        with self._db_logger.timed(flow_id, IntegrationCheckpoint.PATTERN_PROCESSED, symbol=symbol):
            scored = self._score(alert)
            self._pending.append(scored)
            self._stats["processed"] += 1
        flow_logger.log_checkpoint(flow_id, "pattern_processed", symbol=symbol,
                                   score=scored["score"])

        if len(self._pending) >= self._batch_size:
            await self.flush_batch()
        return scored

    async def flush_batch(self) -> int:
        batch: List[Dict[str, Any]] = list(self._pending)
        self._pending.clear()
        if not batch:
            return 0

        started = time.perf_counter()
        delivered = self._deliver(batch)
        elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
        self._stats["batches"] += 1

        # Audit the batch; an audit failure must never block delivery
        try:
            self._db_logger.log_event(
                IntegrationEventType.PATTERN_BATCH,
                details={"size": len(batch), "delivered": delivered, "elapsed_ms": elapsed_ms},
            )
        except Exception:  # pragma: no cover - best effort only
            logger.debug("PATTERN-PROCESSOR: integration audit write failed", exc_info=True)

        if not self._db_logger.log_checkpoint(None, IntegrationCheckpoint.BATCH_FLUSHED,
                                              latency_ms=elapsed_ms):
            logger.debug("PATTERN-PROCESSOR: batch checkpoint not recorded")

        if self._db_logger.is_degraded():
            # Audit writes are backing up: send smaller batches more often
            self._batch_size = max(_MIN_BATCH_SIZE, self._batch_size // 2)
        else:
            self._batch_size = int(self.config.get("PATTERN_BATCH_SIZE", _BATCH_SIZE))

        return delivered

    def audit_sink(self) -> Optional[DatabaseIntegrationLogger]:
        """Hand the audit sink to the backtest harness so both share one buffer."""
        return self._db_logger

    def get_stats(self) -> Dict[str, Any]:
        return {**self._stats, "pending": len(self._pending), "batch_size": self._batch_size}

    # ------------------------------------------------------------------ internals
    def _score(self, alert: Dict[str, Any]) -> Dict[str, Any]:
        confidence = float(alert.get("confidence") or 0.0)
        priority = PATTERN_PRIORITY.get(alert.get("pattern", ""), 9)
        if confidence < _CONFIDENCE_FLOOR:
            self._stats["below_floor"] += 1
        score = round(confidence * 100 / priority, 2)
        return {**alert, "score": score, "priority": priority}

    def _deliver(self, batch: List[Dict[str, Any]]) -> int:
        if self.socketio is None:
            return 0
        batch.sort(key=lambda a: (a["priority"], -a["score"]))
        self.socketio.emit("pattern_batch", {"alerts": batch, "count": len(batch)}, namespace="/")
        return len(batch)


class ReplayPatternProcessor(PatternProcessor):
    """Replays stored alerts (admin 'replay day' button) through the same path."""

    def __init__(self, config: Dict[str, Any], socketio=None, speed: float = 10.0) -> None:
        super().__init__(config, socketio=socketio)
        self.speed = speed

    async def replay(self, alerts: List[Dict[str, Any]]) -> int:
        self._db_logger.log_event(IntegrationEventType.REPLAY_STARTED,
                                  details={"alerts": len(alerts), "speed": self.speed})
        replayed = 0
        for alert in alerts:
            flow_id = flow_logger.start_flow(alert.get("symbol"))
            await self.process(flow_id, alert)
            replayed += 1
        await self.flush_batch()
        return replayed
