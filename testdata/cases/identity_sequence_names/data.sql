INSERT INTO tickets (title) VALUES ('first'), ('second'), (NULL);
INSERT INTO a_table_with_a_rather_long_name_that_nearly_fills_the_limit_x (v)
    VALUES ('rebuilt one'), ('rebuilt two'), (repeat('long ', 1000));
INSERT INTO plain (v) VALUES ('p1'), ('p2');
INSERT INTO plain (v) VALUES ('deleted');
DELETE FROM plain WHERE v = 'deleted';
