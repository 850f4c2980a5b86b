INSERT INTO events (happened, kind) VALUES ('2024-03-01', 'click'), ('2024-12-31', NULL), ('2019-05-05', 'ünï'), ('2030-01-01', 'it''s');
