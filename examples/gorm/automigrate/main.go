// Command automigrate creates the first database of the example with
// GORM's AutoMigrate, once; schemadiff takes over from there.
package main

import (
	"log"
	"os"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"example.com/gormshop/models"
)

func main() {
	db, err := gorm.Open(postgres.Open(os.Getenv("DATABASE_URL")), &gorm.Config{})
	if err != nil {
		log.Fatalf("opening the database: %v", err)
	}
	if err := db.AutoMigrate(&models.Customer{}, &models.Order{}); err != nil {
		log.Fatalf("AutoMigrate: %v", err)
	}
}
