package compose_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/registry/regtest"
)

// A stack whose task cannot start fails the wait naming the service, its task's state and
// error; down then leaves nothing of it.
func TestStackWaitNamesTheFailingService(t *testing.T) {
	t.Parallel()
	regtest.NeedSwarm(t)
	project := fmt.Sprintf("kc%06d-dev1", rand.IntN(1e6))
	t.Cleanup(func() { regtest.RemoveStacks(project) })
	file := filepath.Join(t.TempDir(), "stack.yaml")
	missing := "127.0.0.1:1/kickoff-missing@sha256:" + strings.Repeat("0", 64)
	stack := "version: \"3.8\"\nservices:\n  web:\n    image: " + missing + "\nnetworks:\n  default: {driver: overlay, attachable: true}\n"
	if err := os.WriteFile(file, []byte(stack), 0o600); err != nil {
		t.Fatal(err)
	}
	eng := &compose.Engine{SwarmMode: true}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	err := eng.Up(ctx, project, file)
	var se *compose.StackError
	if !errors.As(err, &se) || se.Service != "web" || se.Image != missing || se.TaskErr == "" {
		t.Fatalf("err = %v (%#v), want a StackError naming web and its task's error", err, se)
	}
	t.Log(err)
	if err := eng.Down(context.Background(), project, file); err != nil {
		t.Fatal(err)
	}
	if cs, err := eng.Containers(context.Background(), project); err != nil || len(cs) != 0 {
		t.Fatalf("after down: %v, %v", cs, err)
	}
}
