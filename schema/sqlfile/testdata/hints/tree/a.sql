-- schemadiff:renamed-from t1_old
CREATE TABLE t1 (id int);
