package regtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/registry/regtest"
)

// The engine pulls a pushed image from the in-process registry and runs it.
func TestEnginePullsAndRunsTestImage(t *testing.T) {
	regtest.NeedDocker(t)
	reg := regtest.Start(t)
	reg.Push(t, "regtest-be", "v1", regtest.Image{App: "be", Version: "v1"})
	ref := reg.Host + "/regtest-be:v1"
	name := fmt.Sprintf("regtest-%d", time.Now().UnixNano())
	out, err := exec.Command("docker", "run", "-d", "--name", name, "-p", "127.0.0.1::8080", ref).CombinedOutput()
	if err != nil {
		t.Fatalf("docker run: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		exec.Command("docker", "rm", "-f", name).Run()
		exec.Command("docker", "rmi", ref).Run()
	})
	port, err := exec.Command("docker", "port", name, "8080/tcp").Output()
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + strings.TrimSpace(strings.Split(string(port), "\n")[0])
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		resp, err := http.Get(url + "/")
		if err == nil {
			var rep struct{ App, Version string }
			json.NewDecoder(resp.Body).Decode(&rep)
			resp.Body.Close()
			if rep.App != "be" || rep.Version != "v1" {
				t.Fatalf("container answered %+v", rep)
			}
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("container never answered on %s: %v", url, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func TestUnhealthyImageFailsHealth(t *testing.T) {
	img, err := regtest.Build(regtest.Image{App: "fe", Version: "bad", Unhealthy: true})
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := img.ConfigFile()
	if !strings.Contains(strings.Join(cf.Config.Env, " "), "APP_HEALTHY=0") {
		t.Fatalf("env = %v", cf.Config.Env)
	}
}
