-- Ünïcode comment: äöü
CREATE TABLE a (
    id int
);

CREATE TABLE "Ünïcödé" (
    ü int, näme text,, x int
);
