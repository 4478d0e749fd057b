"""The Django project: settings from the environment, URL map, WSGI entry point."""
