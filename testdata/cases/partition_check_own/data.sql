INSERT INTO readings (id, at, value) VALUES (1, '2024-03-01', 5), (2, '2025-03-01', 50);
