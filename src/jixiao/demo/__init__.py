"""The demo data set, built through the services with a fixed seed; also the end-to-end fixture."""
