-- citext goes: the column is converted to text before the extension is
-- dropped.
CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL);
