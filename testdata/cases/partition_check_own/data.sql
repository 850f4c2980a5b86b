INSERT INTO readings (id, at, value) VALUES (1, '2024-03-01', 5), (2, '2025-03-01', 50);
INSERT INTO readings_2023 (id, at, value) VALUES (3, '2023-03-01', 7);
INSERT INTO readings_2022 (id, at, value) VALUES (4, '2022-03-01', 8);
