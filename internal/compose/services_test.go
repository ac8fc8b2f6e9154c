package compose

import (
	"slices"
	"testing"
)

// Status reads a rendered file back: every service, its image, and which ones others wait
// for to complete (their exit 0 is success).
func TestReadServices(t *testing.T) {
	got, err := ReadServices([]byte(`services:
  web:
    image: acme-web@sha256:1
    depends_on:
      migrate: {condition: service_completed_successfully}
      db: {condition: service_healthy}
  worker:
    image: acme-worker
    depends_on: [db]
  migrate: {image: acme-migrate}
  db: {image: mariadb:10.6}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []FileService{{"db", "mariadb:10.6", false}, {"migrate", "acme-migrate", true}, {"web", "acme-web@sha256:1", false}, {"worker", "acme-worker", false}}
	if !slices.Equal(got, want) {
		t.Errorf("ReadServices = %+v, want %+v", got, want)
	}
	if _, err := ReadServices([]byte("services: [")); err == nil {
		t.Error("a broken file read without error")
	}
}
