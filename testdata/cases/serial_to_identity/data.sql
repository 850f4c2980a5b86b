INSERT INTO t (v) VALUES ('one'), ('two'), (NULL), ('ünï ''quoted''');
INSERT INTO t (v) VALUES ('deleted');
DELETE FROM t WHERE v = 'deleted';
