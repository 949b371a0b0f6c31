"""
TickStockAppV2 application factory.

Wires Flask, Socket.IO, Redis and the TickStockPL integration services
together.  Run with ``python -m src.app`` for local development.
"""
import asyncio
import logging
import os
import threading
from typing import Any, Dict, Optional

import redis.asyncio as aioredis
from flask import Flask, jsonify
from flask_socketio import SocketIO

from src.core.services.flow_logger import flow_logger
from src.core.services.pattern_processor import PatternProcessor
from src.core.services.redis_event_subscriber import RedisEventSubscriber

logger = logging.getLogger(__name__)

socketio = SocketIO(cors_allowed_origins="*", async_mode="threading")

DEFAULTS: Dict[str, Any] = {
    "REDIS_URL": "redis://localhost:6379/0",
    "DATABASE_URI": "postgresql://app_readwrite@localhost/tickstock_dev",
    "PATTERN_BATCH_SIZE": 25,
    "FLOW_TRACE_MAX": 500,
}


def load_config(overrides: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    config = dict(DEFAULTS)
    for key in DEFAULTS:
        if key in os.environ:
            config[key] = os.environ[key]
    config.update(overrides or {})
    return config


def _start_event_loop() -> asyncio.AbstractEventLoop:
    """Run an asyncio loop in a daemon thread for the async services."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="integration-loop", daemon=True)
    thread.start()
    return loop


def create_app(config: Optional[Dict[str, Any]] = None) -> Flask:
    config = load_config(config)
    app = Flask(__name__)
    app.config.update(config)
    socketio.init_app(app)

    flow_logger.max_flows = int(config["FLOW_TRACE_MAX"])
    logger.info("TICKSTOCKPL-SERVICES: Flow tracing enabled (max %s flows)", flow_logger.max_flows)

    redis_client = aioredis.from_url(config["REDIS_URL"], decode_responses=False)
    loop = _start_event_loop()

    # --- TickStockPL integration services ---------------------------------
    try:
        # Integration checkpoint logging (Sprint 25)
        from src.core.services.database_integration_logger import initialize_database_integration_logger
        db_integration_logger = initialize_database_integration_logger(config)
        logger.info("TICKSTOCKPL-SERVICES: Database integration logger initialized")

        pattern_processor = PatternProcessor(config, socketio=socketio)
        redis_subscriber = RedisEventSubscriber(
            redis_client, socketio, config,
            pattern_processor=pattern_processor,
        )
        started = asyncio.run_coroutine_threadsafe(redis_subscriber.start(), loop).result(timeout=10)
        if not started:
            logger.error("TICKSTOCKPL-SERVICES: Redis event subscriber did not start")
        app.extensions["pattern_processor"] = pattern_processor
        app.extensions["redis_subscriber"] = redis_subscriber
        logger.info("TICKSTOCKPL-SERVICES: Redis event subscriber started")
    except Exception as e:
        logger.error(f"TICKSTOCKPL-SERVICES: Failed to start integration services: {e}")

    @app.route("/health")
    def health():
        subscriber = app.extensions.get("redis_subscriber")
        return jsonify({
            "status": "ok",
            "subscriber": subscriber.get_stats() if subscriber else None,
        })

    @app.route("/api/flows/<flow_id>")
    def flow_summary(flow_id: str):
        return jsonify(flow_logger.summary(flow_id))

    return app


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    socketio.run(create_app(), host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
