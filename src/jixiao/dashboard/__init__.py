"""The leaders' cockpit (领导驾驶舱): progress against the schedule, rankings, grades, red lights."""
