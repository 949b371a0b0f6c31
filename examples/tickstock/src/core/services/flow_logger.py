"""
Flow logger: lightweight tracing of a pattern event through the app.

Checkpoints are kept in a bounded in-memory ring and written to the
application log; nothing here touches the database.
"""
import logging
import time
import uuid
from collections import OrderedDict
from threading import RLock
from typing import Any, Dict, List, Optional

logger = logging.getLogger("tickstock.flow")


class FlowLogger:
    """Keeps the last ``max_flows`` flows and their checkpoints."""

    def __init__(self, max_flows: int = 500, enabled: bool = True) -> None:
        self.max_flows = max_flows
        self.enabled = enabled
        self._flows: "OrderedDict[str, List[Dict[str, Any]]]" = OrderedDict()
        self._lock = RLock()

    def start_flow(self, symbol: Optional[str] = None) -> str:
        flow_id = uuid.uuid4().hex[:12]
        self.log_checkpoint(flow_id, "flow_started", symbol=symbol)
        return flow_id

    def log_checkpoint(self, flow_id: Optional[str], stage: str,
                       symbol: Optional[str] = None, **fields: Any) -> None:
        if not self.enabled or not flow_id:
            return
        entry = {"stage": stage, "symbol": symbol, "ts": time.time(), **fields}
        with self._lock:
            trail = self._flows.setdefault(flow_id, [])
            trail.append(entry)
            self._flows.move_to_end(flow_id)
            while len(self._flows) > self.max_flows:
                self._flows.popitem(last=False)
        logger.debug("FLOW %s %-20s %s %s", flow_id, stage, symbol or "-", fields or "")

    def checkpoints(self, flow_id: str) -> List[Dict[str, Any]]:
        with self._lock:
            return list(self._flows.get(flow_id, ()))

    def summary(self, flow_id: str) -> Dict[str, Any]:
        trail = self.checkpoints(flow_id)
        if not trail:
            return {"flow_id": flow_id, "stages": [], "elapsed_ms": None}
        elapsed = (trail[-1]["ts"] - trail[0]["ts"]) * 1000
        return {
            "flow_id": flow_id,
            "stages": [c["stage"] for c in trail],
            "elapsed_ms": round(elapsed, 2),
        }

    def reset(self) -> None:
        with self._lock:
            self._flows.clear()


flow_logger = FlowLogger()
