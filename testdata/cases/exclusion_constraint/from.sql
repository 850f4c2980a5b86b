CREATE TABLE r (id int, during tsrange);
