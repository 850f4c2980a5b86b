-- readings_2025 leaves the tree with its row; readings_2023 and readings_2022 join it with theirs
SELECT tableoid::regclass, id, at, value FROM readings ORDER BY id;
SELECT id, at, value FROM readings_2025 ORDER BY id;
