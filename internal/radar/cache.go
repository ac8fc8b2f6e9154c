package radar

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// CacheFile is the cache's file name inside the state folder.
const CacheFile = "radar.db"

// cacheVersion changes whenever what is cached changes meaning; old buckets are ignored.
const cacheVersion = "v2"

var (
	bucketBases   = []byte("bases-" + cacheVersion)
	bucketChanges = []byte("changes-" + cacheVersion)
	bucketPairs   = []byte("pairs-" + cacheVersion)
	bucketMeta    = []byte("meta-" + cacheVersion)
)

// cache keeps results keyed by commit ids, which never change meaning: merge bases of
// two commits, a commit's changes against a base, a pair's verdict. A moved kickoff has a
// new commit id, so only its pairs are computed again.
type cache struct {
	db *bolt.DB
}

// openCache opens (creating) dir/radar.db. It is only a cache, so it is written without
// fsync: a file broken by a crash is deleted and started afresh. Another kickoff holding it
// for more than a second is not fatal either: the caller runs without a cache.
func openCache(dir string) (*cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p := filepath.Join(dir, CacheFile)
	opts := &bolt.Options{Timeout: time.Second, NoFreelistSync: true, NoSync: true}
	db, err := bolt.Open(p, 0o644, opts)
	if err != nil && !errors.Is(err, bolt.ErrTimeout) {
		// Not locked by another process, so unreadable: a cache can start over.
		if rerr := os.Remove(p); rerr == nil {
			db, err = bolt.Open(p, 0o644, opts)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open cache %s: %w", p, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketBases, bucketChanges, bucketPairs, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare cache %s: %w", p, err)
	}
	return &cache{db: db}, nil
}

func (c *cache) Close() error {
	if c == nil {
		return nil
	}
	return c.db.Close()
}

// get decodes what is stored under key into v (JSON, or v's own binary form when it has
// one); false when absent or unreadable.
func (c *cache) get(bucket []byte, key string, v any) bool {
	if c == nil {
		return false
	}
	var found bool
	_ = c.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucket).Get([]byte(key))
		if data == nil {
			return nil
		}
		if b, ok := v.(encoding.BinaryUnmarshaler); ok {
			found = b.UnmarshalBinary(data) == nil
		} else {
			found = json.Unmarshal(data, v) == nil
		}
		return nil
	})
	return found
}

// putAll stores many entries in one transaction.
func (c *cache) putAll(bucket []byte, entries map[string]any) error {
	return c.putBuckets(map[string]map[string]any{string(bucket): entries})
}

// putBuckets stores entries of several buckets in one transaction.
func (c *cache) putBuckets(buckets map[string]map[string]any) error {
	if c == nil {
		return nil
	}
	n := 0
	for _, es := range buckets {
		n += len(es)
	}
	if n == 0 {
		return nil
	}
	return c.db.Update(func(tx *bolt.Tx) error {
		for name, entries := range buckets {
			b := tx.Bucket([]byte(name))
			if b == nil {
				return errors.New("cache bucket missing")
			}
			for k, v := range entries {
				var data []byte
				var err error
				if b, ok := v.(encoding.BinaryMarshaler); ok {
					data, err = b.MarshalBinary()
				} else {
					data, err = json.Marshal(v)
				}
				if err != nil {
					return err
				}
				if err := b.Put([]byte(k), data); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// storeRun writes what this run computed (merge bases, change sets, peeled refs) and
// the new verdicts in one transaction.
func (e *Engine) storeRun(pairs map[string]any) {
	sets := map[string]any{}
	for _, k := range e.pendingSets {
		sets[k[0].String()+":"+k[1].String()] = e.sets[k]
	}
	err := e.cache.putBuckets(map[string]map[string]any{
		string(bucketBases): e.pendingBases, string(bucketChanges): sets,
		string(bucketMeta): e.pendingMeta, string(bucketPairs): pairs,
	})
	if err != nil {
		slog.Warn("could not write the radar cache", "err", err)
	}
	e.pendingSets, e.pendingBases, e.pendingMeta = nil, map[string]any{}, map[string]any{}
}
