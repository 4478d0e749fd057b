"""Schemes (考核方案) and their versions, assessments (考核) and periods (考核期)."""
