-- schemadiff:renamed-from old_pair
CREATE TYPE pair AS (a int, b int);
