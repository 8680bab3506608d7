-- Half-day leave (modules/planning): part is "morning" or "afternoon" for half of a one-day
-- absence, '' for whole days. A half day takes 0.5 of a balance and half the day's capacity.
ALTER TABLE planning_absences ADD COLUMN part TEXT NOT NULL DEFAULT ''
