// Package models is the example shop's GORM models: the desired schema
// that schemadiff reads.
package models

import "gorm.io/gorm"

// Customer buys things.
type Customer struct {
	gorm.Model
	Email  string  `gorm:"size:320;not null;uniqueIndex"`
	Name   string  `gorm:"size:200"`
	Orders []Order `gorm:"constraint:OnDelete:CASCADE"`
}

// Order is one purchase of a customer.
type Order struct {
	gorm.Model
	CustomerID uint   `gorm:"not null;index"`
	Status     string `gorm:"size:20;not null;default:'new';check:status <> ''"`
	TotalCents int64  `gorm:"not null;default:0"`
}
