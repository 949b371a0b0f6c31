import os
import sys
from unittest import mock

import pytest

# Make ``src`` importable when pytest is started from the repository root.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def socketio():
    return mock.MagicMock(name="socketio")


@pytest.fixture
def fake_redis():
    client = mock.MagicMock(name="redis")
    client.pubsub.return_value = mock.AsyncMock(name="pubsub")
    return client
