package app

import (
	"database/sql"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
)

// Org is a customer organization.
//
// schemadiff:table orgs
// schemadiff:comment Customer organizations.
type Org struct {
	Model
	Name     string          `schemadiff:"name,unique,collate=C"`
	PublicID uuid.UUID       `schemadiff:"public_id,default=gen_random_uuid()"`
	Settings json.RawMessage `schemadiff:"settings,default='{}'"`
}

// User is someone who signs in.
//
// schemadiff:table users
// schemadiff:index users_org_status_idx (org_id, status) where status <> 'deleted'
// schemadiff:index users_lower_email_idx ((lower(email))) unique
// schemadiff:check users_name_len length(display_name) < 200
type User struct {
	Model
	Email    string          `schemadiff:"email,unique,type=varchar(320),comment='Login, lower-cased'"`
	Name     *string         `schemadiff:"display_name,renamed-from=name"`
	Status   Status          `schemadiff:"status,default='active',check=status <> ''"`
	OrgID    int64           `schemadiff:"org_id,references=orgs(id),on-delete=cascade,index"`
	Tags     []string        `schemadiff:"tags,default='{}'"`
	Score    sql.NullFloat64 `schemadiff:"score"`
	Nickname pgtype.Text     `schemadiff:"nickname"`
	SeenAt   sql.NullTime    `schemadiff:"last_seen_at"`
	Avatar   []byte          `schemadiff:"avatar,null"`
	Ignored  string          `schemadiff:"-"`
	Internal string          // not a column
	cache    map[string]time.Time
}

// Membership links users to orgs; its key is composite and its table name
// a reserved word with capitals.
//
// schemadiff:table "Order"
// schemadiff:unique ("UserID", role)
type Membership struct {
	OrgID  int64  `schemadiff:"OrgID,pk,references=orgs,on-delete=cascade"`
	UserID int64  `schemadiff:"UserID,pk,references=users(id),on-delete=cascade,on-update=no-action"`
	Role   string `schemadiff:"role,default='member'"`
	Since  time.Time
}
