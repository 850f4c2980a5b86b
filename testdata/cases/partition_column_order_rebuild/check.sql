-- every row outside the dropped default partition keeps its partition, id
-- and values (from.sql's 2019 row goes with events_old)
SELECT tableoid::regclass, id, happened, source, kind FROM events ORDER BY id;
SELECT event_id, happened FROM event_notes ORDER BY event_id;
