package gormmodels

import (
	"database/sql"
	"time"

	"gorm.io/gorm"
)

// Status is a named string type.
type Status string

// Ledger covers more Go types, defaults and a composite unique index.
type Ledger struct {
	Number    int64  `gorm:"primaryKey;autoIncrement:false"`
	Book      string `gorm:"size:30;uniqueIndex:idx_book_page,priority:1"`
	Page      int16  `gorm:"uniqueIndex:idx_book_page,priority:2"`
	State     Status `gorm:"default:open"`
	Memo      sql.NullString
	Count     sql.NullInt64
	Seen      sql.NullTime
	Removed   gorm.DeletedAt `gorm:"index"`
	Stamped   time.Time      `gorm:"precision:3;default:CURRENT_TIMESTAMP"`
	Checked   *time.Time     `gorm:"default:now()"`
	Weight    *float64       `gorm:"default:2.5"`
	Flag      *bool          `gorm:"default:false;not null"`
	Tiny      uint32
	Blob      []uint8
	LowerName string `gorm:"index:idx_ledgers_lower_name,expression:lower(lower_name)"`
}
