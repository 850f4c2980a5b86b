package gormmodels

import "time"

// Team has many members, deleted with it.
type Team struct {
	ID      uint     `gorm:"primaryKey"`
	Members []Member `gorm:"constraint:OnDelete:CASCADE"`
}

// Geo is embedded with a prefix.
type Geo struct {
	Lat float64
}

// Member refers to its boss, a member too, and lives in table crew.
type Member struct {
	ID       uint `gorm:"primaryKey"`
	TeamID   uint
	Home     Geo `gorm:"embedded;embeddedPrefix:home_"`
	BossID   *uint
	Boss     *Member
	Kind     string    `gorm:"index:idx_kind_at,priority:2;uniqueIndex"`
	At       time.Time `gorm:"index:idx_kind_at,priority:1,sort:desc"`
	Body     string    `gorm:"index:,type:hash,where:body <> ''"`
	Tenant   int       `gorm:"index:,composite:scope"`
	Seq      int64     `gorm:"autoIncrement"`
	Password string    `gorm:"->:false;<-:create"`
}

// TableName names the members table.
func (Member) TableName() string { return "crew" }
