package compose_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/registry/regtest"
)

// A tcp:// Docker host with TLS is driven the way the docker CLI reads TLS from the
// environment: DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH holding ca.pem, cert.pem and key.pem.
// The engine here listens on its socket only, so a TLS listener on 127.0.0.1 that demands
// the client certificate stands in front of it.
func TestTCPHostWithTLS(t *testing.T) {
	regtest.NeedDocker(t)
	sock := "/var/run/docker.sock"
	if _, err := os.Stat(sock); err != nil {
		t.Skipf("skipping: the engine is not on %s", sock)
	}
	dir := t.TempDir()
	serverCfg := writeCerts(t, dir)
	l, err := tls.Listen("tcp", "127.0.0.1:0", serverCfg)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				u, err := net.Dial("unix", sock)
				if err != nil {
					return
				}
				defer u.Close()
				go io.Copy(u, c)
				io.Copy(c, u)
			}()
		}
	}()
	host := "tcp://" + l.Addr().String()
	env := append(os.Environ(), "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH="+dir, "DOCKER_CONTEXT=")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	eng := &compose.Engine{Host: host, Command: []string{"docker"}, Env: env}
	if _, err := eng.Disk(ctx); err != nil {
		t.Fatalf("with the certificates: %v", err)
	}
	if _, err := eng.Containers(ctx, "kickoff-tls-test"); err != nil {
		t.Fatalf("containers: %v", err)
	}
	noTLS := &compose.Engine{Host: host, Command: []string{"docker"}, Env: append(os.Environ(), "DOCKER_TLS_VERIFY=", "DOCKER_CERT_PATH=")}
	short, cancelShort := context.WithTimeout(ctx, 5*time.Second)
	defer cancelShort()
	if _, err := noTLS.Disk(short); err == nil {
		t.Error("a TLS engine answered a client without certificates")
	}
	if got := eng.HostName(); got != "127.0.0.1" {
		t.Errorf("HostName: %q", got)
	}
}

// writeCerts writes a CA, a client certificate and key into dir (the docker CLI's names) and
// returns the server's TLS configuration, which demands a client certificate of that CA.
func writeCerts(t *testing.T, dir string) *tls.Config {
	t.Helper()
	now := time.Now()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kickoff test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, usage x509.ExtKeyUsage, ips []net.IP) ([]byte, *ecdsa.PrivateKey) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "kickoff test"},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IPAddresses: ips,
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, key
	}
	srvDER, srvKey := issue(2, x509.ExtKeyUsageServerAuth, []net.IP{net.ParseIP("127.0.0.1")})
	cliDER, cliKey := issue(3, x509.ExtKeyUsageClientAuth, nil)
	write := func(name, typ string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("ca.pem", "CERTIFICATE", caDER)
	write("cert.pem", "CERTIFICATE", cliDER)
	kb, _ := x509.MarshalECPrivateKey(cliKey)
	write("key.pem", "EC PRIVATE KEY", kb)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{srvDER}, PrivateKey: srvKey}},
		ClientCAs:    pool, ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12,
	}
}
