from unittest import mock

import pytest

from src.metadata_manager import MetadataError, MetadataManager


def test_parse_dialer_file_name():
    meta = MetadataManager.parse_file_name("cmp042_AG1187_20241031-142233_5551234567.WAV")
    assert meta["campaign"] == "CMP042"
    assert meta["agent"] == "AG1187"
    assert meta["call_time"] == "2024-10-31T14:22:33"
    assert meta["format"] == "wav"


def test_unknown_file_name_is_rejected():
    with pytest.raises(MetadataError):
        MetadataManager.parse_file_name("recording-final(2).mp3")


def test_probe_reads_ffprobe_json():
    manager = MetadataManager.__new__(MetadataManager)
    manager.ffprobe = "ffprobe"
    fake = mock.Mock(stdout='{"streams": [{"channels": 2}], "format": {"duration": "61.5"}}')
    with mock.patch("src.metadata_manager.subprocess.run", return_value=fake):
        assert manager.probe("call.wav") == (61.5, 2)
