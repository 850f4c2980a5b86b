// Package models declares an application's tables as Go structs: schemadiff
// reads the schemadiff tags as the desired schema (see the README).
package models

import "time"

// Org is a customer organisation.
//
// schemadiff:table orgs
// schemadiff:comment Organisations that own users
type Org struct {
	ID   int64  `schemadiff:"id,pk,identity"`
	Name string `schemadiff:"name,unique"`
}

// Timestamps are shared by every table that embeds them.
type Timestamps struct {
	CreatedAt time.Time  `schemadiff:"created_at,default=now()"`
	UpdatedAt *time.Time `schemadiff:"updated_at"`
}

// User is someone who signs in.
//
// schemadiff:table users
// schemadiff:index users_org_email_idx (org_id, (lower(email))) unique
type User struct {
	ID       int64   `schemadiff:"id,pk,identity"`
	OrgID    int64   `schemadiff:"org_id,references=orgs(id),on-delete=cascade,index"`
	Email    string  `schemadiff:"email,type=varchar(320)"`
	Name     *string `schemadiff:"display_name"`
	Role     string  `schemadiff:"role,default='member',check=role IN ('member', 'admin')"`
	Settings []byte  `schemadiff:"settings,type=jsonb,default='{}'"`
	Timestamps
	Password string `schemadiff:"-"`
}
