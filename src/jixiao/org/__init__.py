"""The organisation: units, people, categories of assessed objects, accounts and roles."""
