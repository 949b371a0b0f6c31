"""Core services: Redis bridge, pattern processing and flow tracing."""

from .flow_logger import FlowLogger, flow_logger
from .database_integration_logger import (
    DatabaseIntegrationLogger,
    get_database_integration_logger,  # re-exported for the admin blueprint
)

__all__ = [
    "FlowLogger",
    "flow_logger",
    "DatabaseIntegrationLogger",
    "get_database_integration_logger",
]
