// Command go-verifier checks Tearline ledger receipts, consistency proofs and exports with
// the Go checksum database's own packages (golang.org/x/mod/sumdb/note and .../tlog), as an
// implementation independent of Tearline's TypeScript.
//
// Usage:
//
//	go-verifier receipt VERIFIER-KEY RECEIPT.json
//	go-verifier consistency VERIFIER-KEY CONSISTENCY.json
//	go-verifier export VERIFIER-KEY ENTRIES-FILE CHECKPOINT-NOTE-FILE
//	go-verifier cosigned VERIFIER-KEY QUORUM RECEIPT.json WITNESS-KEY...
//
// Exit status 0 means verified; 1 means rejected (the reason is printed); 2 means misuse.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

// openCheckpoint verifies the signed note with the hub's key and parses the C2SP
// tlog-checkpoint body: origin line, decimal tree size, base64 root hash.
func openCheckpoint(vkey string, signed string) (checkpoint, error) {
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return checkpoint{}, fmt.Errorf("verifier key: %v", err)
	}
	n, err := note.Open([]byte(signed), note.VerifierList(verifier))
	if err != nil {
		return checkpoint{}, fmt.Errorf("checkpoint signature: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		return checkpoint{}, errors.New("checkpoint: fewer than three lines")
	}
	if lines[0] != verifier.Name() {
		return checkpoint{}, fmt.Errorf("checkpoint origin %q is not the key name %q", lines[0], verifier.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return checkpoint{}, fmt.Errorf("checkpoint: bad tree size %q", lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		return checkpoint{}, fmt.Errorf("checkpoint: bad root hash: %v", err)
	}
	return checkpoint{origin: lines[0], size: size, root: root}, nil
}

func parseProof(encoded []string) ([]tlog.Hash, error) {
	proof := make([]tlog.Hash, len(encoded))
	for i, s := range encoded {
		h, err := tlog.ParseHash(s)
		if err != nil {
			return nil, fmt.Errorf("proof[%d]: %v", i, err)
		}
		proof[i] = h
	}
	return proof, nil
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func verifyReceipt(vkey string, data []byte) (string, error) {
	var r struct {
		Index      *int64   `json:"index"`
		Entry      string   `json:"entry"`
		Checkpoint string   `json:"checkpoint"`
		Proof      []string `json:"proof"`
	}
	if err := decodeStrict(data, &r); err != nil || r.Index == nil || r.Proof == nil {
		return "", fmt.Errorf("receipt: not {index, entry, checkpoint, proof}: %v", err)
	}
	cp, err := openCheckpoint(vkey, r.Checkpoint)
	if err != nil {
		return "", err
	}
	entry, err := base64.StdEncoding.DecodeString(r.Entry)
	if err != nil {
		return "", fmt.Errorf("receipt entry: %v", err)
	}
	proof, err := parseProof(r.Proof)
	if err != nil {
		return "", err
	}
	if *r.Index < 0 || *r.Index >= cp.size {
		return "", fmt.Errorf("receipt index %d outside tree of size %d", *r.Index, cp.size)
	}
	if err := tlog.CheckRecord(tlog.RecordProof(proof), cp.size, cp.root, *r.Index, tlog.RecordHash(entry)); err != nil {
		return "", fmt.Errorf("inclusion of entry %d in tree %d: %v", *r.Index, cp.size, err)
	}
	return fmt.Sprintf("entry %d is in tree %d of %s", *r.Index, cp.size, cp.origin), nil
}

func verifyConsistency(vkey string, data []byte) (string, error) {
	var c struct {
		Old   string   `json:"old"`
		New   string   `json:"new"`
		Proof []string `json:"proof"`
	}
	if err := decodeStrict(data, &c); err != nil || c.Proof == nil {
		return "", fmt.Errorf("consistency: not {old, new, proof}: %v", err)
	}
	older, err := openCheckpoint(vkey, c.Old)
	if err != nil {
		return "", fmt.Errorf("old %v", err)
	}
	newer, err := openCheckpoint(vkey, c.New)
	if err != nil {
		return "", fmt.Errorf("new %v", err)
	}
	proof, err := parseProof(c.Proof)
	if err != nil {
		return "", err
	}
	if older.size < 1 || older.size > newer.size {
		return "", fmt.Errorf("sizes %d -> %d cannot be proven consistent", older.size, newer.size)
	}
	if err := tlog.CheckTree(tlog.TreeProof(proof), newer.size, newer.root, older.size, older.root); err != nil {
		return "", fmt.Errorf("tree %d -> %d: %v", older.size, newer.size, err)
	}
	return fmt.Sprintf("tree %d is a prefix of tree %d", older.size, newer.size), nil
}

// verifyExport rebuilds the tree from the exported entries (one per line, each line exactly
// an entry's bytes) with tlog's own storage layout and compares TreeHash with the checkpoint.
func verifyExport(vkey string, entries []byte, signed []byte) (string, error) {
	cp, err := openCheckpoint(vkey, string(signed))
	if err != nil {
		return "", err
	}
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, idx := range indexes {
			if idx < 0 || idx >= int64(len(stored)) {
				return nil, fmt.Errorf("hash %d not stored", idx)
			}
			out[i] = stored[idx]
		}
		return out, nil
	})
	var n int64
	if len(entries) > 0 {
		if entries[len(entries)-1] != '\n' {
			return "", errors.New("export: last line has no newline")
		}
		for _, line := range bytes.Split(entries[:len(entries)-1], []byte("\n")) {
			hashes, err := tlog.StoredHashes(n, line, reader)
			if err != nil {
				return "", fmt.Errorf("export entry %d: %v", n, err)
			}
			stored = append(stored, hashes...)
			n++
		}
	}
	if n < cp.size {
		return "", fmt.Errorf("export has %d entries, checkpoint covers %d", n, cp.size)
	}
	root, err := tlog.TreeHash(cp.size, reader)
	if err != nil {
		return "", err
	}
	if root != cp.root {
		return "", fmt.Errorf("export entries 0..%d do not hash to the root of checkpoint %d", cp.size-1, cp.size)
	}
	return fmt.Sprintf("the %d exported entries rebuild checkpoint %d", n, cp.size), nil
}

func main() {
	args := os.Args[1:]
	read := func(path string) []byte {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		return data
	}
	var msg string
	var err error
	switch {
	case len(args) == 3 && args[0] == "receipt":
		msg, err = verifyReceipt(args[1], read(args[2]))
	case len(args) == 3 && args[0] == "consistency":
		msg, err = verifyConsistency(args[1], read(args[2]))
	case len(args) == 4 && args[0] == "export":
		msg, err = verifyExport(args[1], read(args[2]), read(args[3]))
	case len(args) >= 4 && args[0] == "cosigned":
		quorum, qerr := strconv.Atoi(args[2])
		if qerr != nil || quorum < 1 {
			fmt.Fprintln(os.Stderr, "quorum must be a whole number >= 1")
			os.Exit(2)
		}
		// Inclusion as for `receipt`, then the quorum over the same checkpoint.
		data := read(args[3])
		if msg, err = verifyReceipt(args[1], data); err == nil {
			var r struct {
				Checkpoint string `json:"checkpoint"`
			}
			_ = json.Unmarshal(data, &r)
			var count int
			count, err = verifyCosigned(args[1], quorum, args[4:], r.Checkpoint)
			msg = fmt.Sprintf("%s, cosigned by %d trusted witness(es)", msg, count)
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: go-verifier receipt|consistency KEY FILE | export KEY ENTRIES CHECKPOINT | cosigned KEY QUORUM RECEIPT WITNESS-KEY...")
		os.Exit(2)
	}
	if err != nil {
		fmt.Println("FAIL:", err)
		os.Exit(1)
	}
	fmt.Println("ok:", msg)
}
