// Package app is a sample application whose tables are declared by structs.
package app

import "time"

// Status is the state of an account.
type Status string

// Model holds the columns every table has.
type Model struct {
	ID        int64      `schemadiff:"id,pk,identity"`
	CreatedAt time.Time  `schemadiff:"created_at,default=now()"`
	UpdatedAt *time.Time `schemadiff:""`
}
