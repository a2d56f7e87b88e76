package main

// Ed25519 witness cosignatures (c2sp.org/tlog-cosignature, cosignature/v1, key type 0x04),
// written here from the spec and independently of Tearline's TypeScript: golang.org/x/mod has
// no cosignature support, so this is a note.Verifier of our own that note.Open can use.

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

type cosignatureVerifier struct {
	name string
	hash uint32
	key  ed25519.PublicKey
}

func (v *cosignatureVerifier) Name() string    { return v.name }
func (v *cosignatureVerifier) KeyHash() uint32 { return v.hash }

// Verify checks sig = 8-byte big-endian timestamp || Ed25519 signature over
// "cosignature/v1\ntime <timestamp>\n" followed by the checkpoint text.
func (v *cosignatureVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig[:8])
	if t > 1<<63-1 {
		return false
	}
	var signed bytes.Buffer
	signed.WriteString("cosignature/v1\ntime " + strconv.FormatUint(t, 10) + "\n")
	signed.Write(msg)
	return ed25519.Verify(v.key, signed.Bytes(), sig[8:])
}

// newCosignatureVerifier parses <name>+<hex key id>+<base64(0x04 || public key)>.
func newCosignatureVerifier(vkey string) (*cosignatureVerifier, error) {
	name, rest, ok := strings.Cut(vkey, "+")
	if !ok {
		return nil, errors.New("witness key: not name+hash+key")
	}
	hashHex, keyB64, ok := strings.Cut(rest, "+")
	if !ok {
		return nil, errors.New("witness key: not name+hash+key")
	}
	h, err1 := strconv.ParseUint(hashHex, 16, 32)
	raw, err2 := base64.StdEncoding.DecodeString(keyB64)
	if err1 != nil || err2 != nil || len(hashHex) != 8 || len(raw) != 1+ed25519.PublicKeySize || raw[0] != 0x04 {
		return nil, fmt.Errorf("witness key %q: malformed", name)
	}
	sum := sha256.Sum256(append([]byte(name+"\n"), raw...))
	if binary.BigEndian.Uint32(sum[:4]) != uint32(h) {
		return nil, fmt.Errorf("witness key %q: key id does not match", name)
	}
	return &cosignatureVerifier{name: name, hash: uint32(h), key: ed25519.PublicKey(raw[1:])}, nil
}

// verifyCosigned opens the receipt's checkpoint with the hub key and the witness keys and
// requires at least quorum distinct witnesses among the verified signatures.
func verifyCosigned(vkey string, quorum int, witnessKeys []string, checkpointNote string) (int, error) {
	hub, err := note.NewVerifier(vkey)
	if err != nil {
		return 0, fmt.Errorf("verifier key: %v", err)
	}
	verifiers := []note.Verifier{hub}
	witnesses := map[string]bool{}
	for _, k := range witnessKeys {
		w, err := newCosignatureVerifier(k)
		if err != nil {
			return 0, err
		}
		verifiers = append(verifiers, w)
		witnesses[fmt.Sprintf("%s+%08x", w.name, w.hash)] = true
	}
	n, err := note.Open([]byte(checkpointNote), note.VerifierList(verifiers...))
	if err != nil {
		return 0, fmt.Errorf("cosigned checkpoint: %v", err)
	}
	count := 0
	for _, s := range n.Sigs {
		if witnesses[fmt.Sprintf("%s+%08x", s.Name, s.Hash)] {
			count++
		}
	}
	if count < quorum {
		return count, fmt.Errorf("%d witness cosignature(s), quorum %d", count, quorum)
	}
	return count, nil
}
