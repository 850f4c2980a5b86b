CREATE TYPE priority AS ENUM ('low', 'high', 'medium');
CREATE TABLE tasks (id int, p priority DEFAULT 'medium', ps priority[]);
CREATE INDEX tasks_high ON tasks (id) WHERE p = 'high';
CREATE VIEW urgent AS SELECT id FROM tasks WHERE p = 'high';
