-- The heatmap's read of allocations (modules/planning store.bookings: the days, amounts,
-- repetitions, task and project of those meeting a period) answered from the index alone:
-- the range index now holds every column that read takes, so neither SQLite nor PostgreSQL
-- (an index-only scan once the table is vacuumed) fetches 10,000 table rows per heatmap.
-- It replaces the narrower range index, a prefix of it.
CREATE INDEX planning_allocations_range_covering ON planning_allocations (account_id, starts_on, last_on, resource_id, ends_on, minutes_per_day, percent, repeat_weeks, task_id, project_id)
--bun:split
DROP INDEX planning_allocations_range
