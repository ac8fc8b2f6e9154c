package ledger

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// KeyFileName is the file backend's hash key, beside the ledger file (0600).
const KeyFileName = "ledger.key"

// keyObject is the s3 backend's hash key object under the prefix; it is never part of a
// record nor of the s3 index, so nothing that publishes records publishes it.
const keyObject = "hash.key"

// keySize is the length of a ledger's hash key.
const keySize = 32

// hashPrefix names the algorithm in every hash, so a later change of it is visible.
const hashPrefix = "hmac-sha256:"

// Hasher hashes the values a record must not hold (environment values, the rendered model)
// with HMAC-SHA256 under the ledger's own random key. A plain SHA-256 of a short password is
// guessed offline from a published hash in seconds; without the key (kept beside the ledger,
// never in a record, never in history, /api/ or exports) a hash tells nothing but "changed".
// Every deployer of one ledger shares its key, so hashes from a laptop and from CI compare.
type Hasher struct{ key []byte }

// NewHasher returns a Hasher under key.
func NewHasher(key []byte) Hasher { return Hasher{key: bytes.Clone(key)} }

// Sum is the hash of value: hmac-sha256: and the first 16 bytes of the MAC in hex, plenty
// to tell a change and half the size in the s3 index.
func (h Hasher) Sum(value []byte) string {
	m := hmac.New(sha256.New, h.key)
	m.Write(value)
	return hashPrefix + hex.EncodeToString(m.Sum(nil)[:16])
}

// HashKey returns the file ledger's key (ledger.key beside the ledger file), creating it
// (0600, random) on first use. Two writers racing to create it agree: the file is created
// exclusively and the loser reads the winner's.
func (s *FileStore) HashKey(ctx context.Context) ([]byte, error) {
	path := filepath.Join(filepath.Dir(s.path), KeyFileName)
	if key, err := readKey(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if _, err := gitrepo.StateFolder(filepath.Dir(path), ""); err != nil {
		return nil, fmt.Errorf("create ledger folder: %w", err)
	}
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), KeyFileName+".*")
	if err != nil {
		return nil, fmt.Errorf("create the ledger's hash key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write([]byte(hex.EncodeToString(key) + "\n"))
	if err := errors.Join(werr, tmp.Sync(), tmp.Close()); err != nil {
		return nil, fmt.Errorf("write the ledger's hash key: %w", err)
	}
	// Link, not rename: it fails when another writer's key is already there, and theirs wins.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("write the ledger's hash key %s: %w", path, err)
	}
	return readKey(path)
}

func readKey(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseKey(data, path)
}

func parseKey(data []byte, where string) ([]byte, error) {
	key, err := hex.DecodeString(string(bytes.TrimSpace(data)))
	if err != nil || len(key) != keySize {
		return nil, fmt.Errorf("the ledger's hash key %s is not %d hex-encoded bytes: restore it from a backup, or delete it (every value then reads as changed once)", where, keySize)
	}
	return key, nil
}

// HashKey returns the s3 ledger's key (<prefix>hash.key), creating it on first use with a
// conditional write so that racing deployers end up with the same key.
func (s *S3Store) HashKey(ctx context.Context) ([]byte, error) {
	k := s.prefix() + keyObject
	where := "s3://" + s.Bucket + "/" + k
	for attempt := 0; attempt < 2; attempt++ {
		out, err := s.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.Bucket, Key: &k})
		if err == nil {
			data, err := io.ReadAll(out.Body)
			out.Body.Close()
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", where, err)
			}
			return parseKey(data, where)
		}
		if apiCode(err) != "NoSuchKey" {
			return nil, s.explain(err, "read the ledger's hash key")
		}
		key := make([]byte, keySize)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		_, err = s.Client.PutObject(ctx, &s3.PutObjectInput{
			Bucket: &s.Bucket, Key: &k, Body: bytes.NewReader([]byte(hex.EncodeToString(key) + "\n")),
			IfNoneMatch: aws.String("*"),
		})
		if err == nil {
			return key, nil
		}
		if !isPrecondition(err) {
			return nil, s.explain(err, "write the ledger's hash key")
		}
		// Another deployer created it first: read theirs.
	}
	return nil, fmt.Errorf("read %s: it keeps changing; run the command again", where)
}
