"""Scores: the engine run over the ledger, results stored for fast pages, traces on demand."""
