// Package bunmodels holds bun models for the equivalence test: the tables
// bun's CreateTable(...).WithForeignKeys() creates from them are the
// tables schemadiff reads from them.
package bunmodels

import (
	"database/sql"
	"time"

	"github.com/uptrace/bun"
)

// Author has books and a named unique group.
type Author struct {
	bun.BaseModel `bun:"table:authors,alias:a"`

	ID    int64   `bun:"id,pk,autoincrement"`
	Name  string  `bun:"name,notnull,unique"`
	Email string  `bun:",unique:author_contact"`
	Phone string  `bun:",unique:author_contact"`
	Books []*Book `bun:"rel:has-many,join:id=author_id"`
}

// Timestamps is embedded in books.
type Timestamps struct {
	UpdatedAt time.Time `bun:",nullzero"`
}

// Addr is embedded with a prefix.
type Addr struct {
	City string
}

// Book belongs to an author.
type Book struct {
	ID       int64  `bun:",pk,identity"`
	Title    string `bun:",notnull,default:'untitled'"`
	AuthorID int64
	Author   *Author  `bun:"rel:belongs-to,join:author_id=id,on_delete:CASCADE"`
	Tags     []string `bun:",array"`
	Meta     map[string]any
	Price    float64   `bun:",nullzero"`
	Created  time.Time `bun:",nullzero,notnull,default:current_timestamp"`
	Deleted  time.Time `bun:",soft_delete,nullzero"`
	Data     []byte
	Rating   int16 `bun:"type:smallint"`
	Note     sql.NullString
	Count    int32
	Small    uint8
	Flag     *bool
	Timestamps
	Addr Addr `bun:"embed:addr_"`
}

// Profile belongs to an author through author_id, found by bun's rule.
type Profile struct {
	ID       int `bun:",pk,autoincrement"`
	AuthorID int64
	Author   *Author `bun:"rel:belongs-to"`
	Bio      string  `bun:"bio,type:varchar(200)"`
}
