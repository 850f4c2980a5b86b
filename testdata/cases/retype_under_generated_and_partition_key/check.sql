-- qty widens to bigint (total follows it); ts becomes timestamptz, read
-- back in the session's time zone as the timestamp it was
SELECT id, qty, total FROM line ORDER BY id;
SELECT tableoid::regclass, ts::timestamp, v FROM readings ORDER BY ts;
