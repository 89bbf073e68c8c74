"""The dashboard page that imports a program from a frab schedule.xml or schedule.json."""
