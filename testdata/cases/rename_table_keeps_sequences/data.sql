INSERT INTO customers (name) VALUES ('ada'), ('grace'), ('edsger');
INSERT INTO invoices (customer_id, total) VALUES (1, 10), (2, 20), (3, 30);
INSERT INTO events (what) VALUES ('start'), ('stop');
INSERT INTO notes (body) VALUES ('one'), ('two');
INSERT INTO tickets (title) VALUES ('bug'), ('feature');
INSERT INTO items (label) VALUES ('a'), ('b');
INSERT INTO parts (label) VALUES ('bolt'), ('nut'), ('washer');
INSERT INTO counters (label) VALUES ('x'), ('y');
INSERT INTO shipments (dest) VALUES ('north'), ('south');
