// Package gormmodels holds GORM models for the equivalence test: the
// tables GORM's AutoMigrate creates from them are the tables schemadiff
// reads from them.
package gormmodels

import (
	"time"

	"gorm.io/gorm"
)

// Company is referenced by users (belongs-to).
type Company struct {
	ID   int
	Name string `gorm:"size:100;not null;uniqueIndex"`
}

// User embeds gorm.Model, has a company and many orders.
type User struct {
	gorm.Model
	Name      string  `gorm:"size:255;not null"`
	Email     *string `gorm:"unique"`
	Age       uint8   `gorm:"check:age >= 0"`
	Birthday  *time.Time
	Active    bool    `gorm:"default:true"`
	Role      string  `gorm:"default:'member';index:idx_role_created,priority:1"`
	Score     float64 `gorm:"precision:10;scale:2"`
	Ratio     float32
	CompanyID *int
	Company   Company `gorm:"constraint:OnUpdate:CASCADE,OnDelete:SET NULL;"`
	Orders    []Order
	Address   Address `gorm:"embedded;embeddedPrefix:addr_"`
	Avatar    []byte
	Ignored   string `gorm:"-"`
	Bio       string `gorm:"type:varchar(500);comment:about the user"`
	Visits    int32  `gorm:"not null;default:0"`
}

// Address is embedded in users with a prefix.
type Address struct {
	Street string
	City   string `gorm:"index"`
}

// Order belongs to a user (has-many from User).
type Order struct {
	ID        uint   `gorm:"primaryKey"`
	UserID    uint   `gorm:"index:idx_orders_user_status,priority:1"`
	Status    string `gorm:"size:20;index:idx_orders_user_status,priority:2;index:,where:status <> 'done'"`
	Total     int64  `gorm:"not null;default:0"`
	Code      string `gorm:"uniqueIndex:idx_orders_code,sort:desc"`
	Note      string `gorm:"check:note_len,length(note) < 1000"`
	CreatedAt time.Time
}

// UserView is what an API returns: no tag schemadiff reads, so not a
// table, and named in a warning.
type UserView struct {
	Name string `json:"name"`
}
