"""COFI: batch processing of recorded calls (LID, transcription, LLM stages)."""
