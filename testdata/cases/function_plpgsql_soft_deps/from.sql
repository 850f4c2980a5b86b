CREATE TABLE unrelated (x integer);
