-- flag becomes boolean (1 -> true, 0 -> false); the rest keeps its text
SELECT id, code, price, label, flag FROM t ORDER BY id;
