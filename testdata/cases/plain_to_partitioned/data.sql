INSERT INTO events (at, payload) VALUES
    ('2024-03-01 10:00:00+00', 'spring'),
    ('2024-07-14 12:00:00+00', 'summer'),
    ('2023-12-31 23:00:00+00', 'before 2024'),
    ('2025-02-01 08:30:00+00', NULL);
