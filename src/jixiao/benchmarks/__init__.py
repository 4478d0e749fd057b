"""The benchmarks behind ``make bench``, in one place with one set-up (:mod:`.common`).

- :mod:`.engine` — the engine on a synthetic city-size year (``jixiao bench``);
- :mod:`.web` — the county demo: ranking page, one value change, a 50,000-value import (:mod:`.importing`);
- :mod:`.supervision` — lights and reminder runs over 10,000 open matters;
- :mod:`.cockpit` — the cockpit's first view, county and city;
- :mod:`.reports` — the official tables as XLSX and PDF;
- :mod:`.scale` — ``manage.py bench_scale``: the city-size year in the database, behind gunicorn
  and the worker (full recompute, saves, cockpit, explanation, concurrent API writers).

A Django app only so that it can hold the ``bench_scale`` command: no models, no URLs. Nothing in
the application imports it (the CLI's ``jixiao bench`` loads :mod:`.engine` lazily), and no bench
patches a service at run time.
"""
