"""Monthly bulletins (月度通报): figures as of a month's end, frozen as snapshot records, verified from Git."""
