CREATE TABLE local_items (id int PRIMARY KEY);
