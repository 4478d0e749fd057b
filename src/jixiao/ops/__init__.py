"""Operations: the long-running loops beside the web and the worker processes (``manage.py
scheduler``). It sits above every app it drives, so the apps below never import each other upward."""
