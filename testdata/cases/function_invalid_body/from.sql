CREATE VIEW totals AS SELECT 1::numeric AS amount;
