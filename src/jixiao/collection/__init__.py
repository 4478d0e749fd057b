"""The electronic ledger (电子台帐): reported values with evidence, incidents, ballots, imports."""
