"""The scheme file: typed models, checks, loaders."""
