"""Pipeline stages, in execution order."""
from .base import BaseStage, StageError
from .llm1_stage import LLM1Stage
from .llm2_stage import LLM2Stage

STAGES = (LLM1Stage, LLM2Stage)

__all__ = ["BaseStage", "StageError", "LLM1Stage", "LLM2Stage", "STAGES"]
