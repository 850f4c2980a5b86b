package gormmodels

import "time"

// Base is the team's base struct, embedded without a tag.
type Base struct {
	ID        uint64 `gorm:"primaryKey;autoIncrement"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Tag embeds Base.
type Tag struct {
	Base
	Label    string `gorm:"uniqueIndex"`
	Internal string `gorm:"-:migration"`
}

// Setting has its own table name and a text key.
type Setting struct {
	Key   string `gorm:"primaryKey;size:64"`
	Value string
}

// TableName names the settings table.
func (Setting) TableName() string { return "app_settings" }
