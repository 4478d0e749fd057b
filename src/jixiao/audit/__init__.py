"""Audit trail (审计日志): who changed what, when, with the values before and after."""
