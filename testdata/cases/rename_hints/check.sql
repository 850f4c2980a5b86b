-- customers is renamed clients and email email_address; the enum label
-- done is renamed finished, so rows holding it now read finished
SELECT id, email_address, state FROM clients ORDER BY id;
SELECT id, customer_id FROM orders ORDER BY id;
SELECT last_value, is_called FROM "New Seq";
