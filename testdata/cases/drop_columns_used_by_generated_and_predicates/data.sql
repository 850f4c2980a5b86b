INSERT INTO t (a, keep) VALUES (1, 10), (NULL, 20), (3, NULL);
INSERT INTO booking (during, cancelled) VALUES ('[2024-01-01,2024-01-02)', false), ('[2024-01-01,2024-01-02)', true), (NULL, NULL);
