"""Model -> program of closures, once per definition (see program.py)."""
from .program import Program, Workflow, compile_machine, compile_workflow

__all__ = ["Program", "Workflow", "compile_machine", "compile_workflow"]
