INSERT INTO events (happened, kind) VALUES ('2024-12-31', 'ünï'), ('2023-12-31', 'It''s');
INSERT INTO event_notes SELECT id, happened FROM events WHERE happened = '2024-12-31';
