package ecs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc64"
	"math"
	"strings"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// Content is a game's economy definition, read from JSON. Applying it
// queues authoring commands, so a session is events from its very start.
// Lists, not JSON objects, keep the file's order: ids are allocated in file
// order, the same on every machine.
type Content struct {
	Currencies []CurrencySpec `json:"currencies"`
	Items      []ItemSpec     `json:"items"`
	Shops      []ShopSpec     `json:"shops"`
	Players    []PlayerSpec   `json:"players"`
}

// CurrencySpec defines a currency.
type CurrencySpec struct {
	Key      string `json:"key"`
	Name     string `json:"name"`
	Decimals int64  `json:"decimals"`
}

// ItemSpec defines an item type.
type ItemSpec struct {
	Key      string `json:"key"`
	Name     string `json:"name"`
	MaxStack int64  `json:"max_stack"`
}

// ShopSpec defines a shop, its till's starting funds and its listings.
type ShopSpec struct {
	Key      string        `json:"key"`
	Name     string        `json:"name"`
	Funds    []MoneySpec   `json:"funds,omitempty"`
	Listings []ListingSpec `json:"listings"`
}

// ListingSpec defines one listing of a shop.
type ListingSpec struct {
	Key      string `json:"key"`
	Item     string `json:"item"`
	Currency string `json:"currency"`
	Price    int64  `json:"price"`
	Stock    int64  `json:"stock"`
}

// PlayerSpec defines a player: wallet, inventory capacity, starting grants.
type PlayerSpec struct {
	Key      string      `json:"key"`
	Name     string      `json:"name"`
	Capacity int64       `json:"capacity"`
	Wallet   []MoneySpec `json:"wallet,omitempty"`
	Items    []ItemCount `json:"items,omitempty"`
}

// MoneySpec is an amount of a currency, in minor units.
type MoneySpec struct {
	Currency string `json:"currency"`
	Amount   int64  `json:"amount"`
}

// ItemCount is a number of units of an item.
type ItemCount struct {
	Item string `json:"item"`
	Qty  int64  `json:"qty"`
}

// ContentError names the entry of a content file that is wrong.
type ContentError struct {
	Where string // e.g. `players[2] "bob"`
	Msg   string
}

// Error implements error.
func (e *ContentError) Error() string { return "content: " + e.Where + ": " + e.Msg }

// ParseContent decodes and validates a content file (see Validate).
// Unknown fields and trailing data are errors too. Every error is a
// *ContentError; a JSON one names the line where decoding stopped.
func ParseContent(data []byte) (*Content, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Content
	if err := dec.Decode(&c); err != nil {
		// A file that is not a JSON object at all gets the format named,
		// not EOF or a Go type the author never wrote.
		const want = "content is one JSON object of currencies, items, shops and players (see ecs/testdata/shop.json)"
		var te *json.UnmarshalTypeError
		switch {
		case len(bytes.TrimSpace(data)) == 0:
			return nil, jsonError(data, 0, "empty: "+want)
		case errors.As(err, &te) && te.Field == "":
			return nil, jsonError(data, dec.InputOffset(), "a JSON "+te.Value+": "+want)
		}
		return nil, jsonError(data, dec.InputOffset(), strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return nil, jsonError(data, dec.InputOffset(), "trailing data after the JSON object")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// jsonError is a decoding error of content, placed at the line of offset.
func jsonError(data []byte, offset int64, msg string) *ContentError {
	offset = min(max(offset, 0), int64(len(data)))
	line := 1 + bytes.Count(data[:offset], []byte("\n"))
	return &ContentError{Where: fmt.Sprintf("line %d", line), Msg: msg}
}

// Validate checks, without touching a world, everything the commands of
// Apply will be checked for at tick 0, so that content that validates
// loads whole (no CommandRejected at tick 0): keys (non-empty, unique),
// references, amounts (prices and stock ≥ 0, mints and grants > 0),
// limits (decimals ≤ MaxDecimals, 1 ≤ max_stack ≤ MaxStack, capacity ≤
// MaxCapacity), that a wallet's or till's amounts of one currency sum to
// at most math.MaxInt64, and that a player's starting items fit its
// inventory, in file order, stack by stack. The first error names the
// entry (a *ContentError).
func (c *Content) Validate() error {
	kinds := map[string]string{}          // key → kind, for lookups only (never iterated)
	stacks := map[string]int64{}          // item key → max stack
	itemIDs := map[string]components.ID{} // item key → a stand-in id for the room check
	def := func(where, key, kind string) error {
		if key == "" {
			return &ContentError{where, "empty key"}
		}
		if _, dup := kinds[key]; dup {
			return &ContentError{where, fmt.Sprintf("duplicate key %q", key)}
		}
		kinds[key] = kind
		return nil
	}
	ref := func(where, key, kind string) error {
		if kinds[key] != kind {
			return &ContentError{where, fmt.Sprintf("%q is not a defined %s", key, kind)}
		}
		return nil
	}
	for i, s := range c.Currencies {
		w := fmt.Sprintf("currencies[%d] %q", i, s.Key)
		if err := def(w, s.Key, "currency"); err != nil {
			return err
		}
		if s.Decimals < 0 || s.Decimals > MaxDecimals {
			return &ContentError{w, fmt.Sprintf("decimals must be 0..%d", MaxDecimals)}
		}
	}
	for i, s := range c.Items {
		w := fmt.Sprintf("items[%d] %q", i, s.Key)
		if err := def(w, s.Key, "item"); err != nil {
			return err
		}
		if s.MaxStack < 1 || s.MaxStack > MaxStack {
			return &ContentError{w, fmt.Sprintf("max_stack must be 1..%d (a full inventory must count in an int64)", MaxStack)}
		}
		stacks[s.Key], itemIDs[s.Key] = s.MaxStack, components.ID(i+1)
	}
	// money checks one wallet's (or till's) mints: each > 0, and their sum
	// per currency must fit the balance.
	money := func(w string, ms []MoneySpec) error {
		sums := map[string]int64{} // looked up, never iterated
		for j, m := range ms {
			mw := fmt.Sprintf("%s[%d]", w, j)
			if err := ref(mw, m.Currency, "currency"); err != nil {
				return err
			}
			if m.Amount <= 0 {
				return &ContentError{mw, "amounts must be > 0"}
			}
			sum, ok := components.AddInt64(sums[m.Currency], m.Amount)
			if !ok {
				return &ContentError{mw, fmt.Sprintf("the %s amounts add up to more than a balance holds (%d)", m.Currency, int64(math.MaxInt64))}
			}
			sums[m.Currency] = sum
		}
		return nil
	}
	for i, s := range c.Shops {
		w := fmt.Sprintf("shops[%d] %q", i, s.Key)
		if err := def(w, s.Key, "shop"); err != nil {
			return err
		}
		if err := money(w+".funds", s.Funds); err != nil {
			return err
		}
		for j, l := range s.Listings {
			lw := fmt.Sprintf("%s.listings[%d] %q", w, j, l.Key)
			if err := def(lw, l.Key, "listing"); err != nil {
				return err
			}
			if err := ref(lw, l.Item, "item"); err != nil {
				return err
			}
			if err := ref(lw, l.Currency, "currency"); err != nil {
				return err
			}
			if l.Price < 0 || l.Stock < 0 {
				return &ContentError{lw, "price and stock must be ≥ 0"}
			}
		}
	}
	for i, p := range c.Players {
		w := fmt.Sprintf("players[%d] %q", i, p.Key)
		if err := def(w, p.Key, "player"); err != nil {
			return err
		}
		if p.Capacity < 0 || p.Capacity > MaxCapacity {
			return &ContentError{w, fmt.Sprintf("capacity must be 0..%d", MaxCapacity)}
		}
		if err := money(w+".wallet", p.Wallet); err != nil {
			return err
		}
		// The grants apply one by one at tick 0: fill a stand-in inventory
		// the same way (components.Inventory's own Room and Add).
		inv := components.Inventory{Capacity: int(p.Capacity)}
		for j, it := range p.Items {
			iw := fmt.Sprintf("%s.items[%d]", w, j)
			if err := ref(iw, it.Item, "item"); err != nil {
				return err
			}
			if it.Qty <= 0 {
				return &ContentError{iw, "item counts must be > 0"}
			}
			id, ms := itemIDs[it.Item], stacks[it.Item]
			if room := inv.Room(id, ms); room < it.Qty {
				return &ContentError{iw, fmt.Sprintf("%d %s do not fit the inventory (capacity %d, room left %d)", it.Qty, it.Item, p.Capacity, room)}
			}
			inv.Add(id, it.Qty, ms)
		}
	}
	return nil
}

// Hash identifies the content: a CRC-64 of its canonical JSON encoding.
// Replay logs store it so a log is never replayed against other content.
func (c *Content) Hash() uint64 {
	b, _ := json.Marshal(c) // plain structs and slices: cannot fail
	return crc64.Checksum(b, crc64.MakeTable(crc64.ECMA))
}

// Apply validates c and queues its authoring commands on w (definitions,
// shops, listings, wallets, then mints and grants), for the next Step.
// It returns the stable id of every key (IDs.ID, IDs.MustID: a key the
// content lacks is an error, not id 0). Nothing is queued on error, and
// content that validates is created whole by the next Step: Validate
// checks everything those commands are checked for.
func (c *Content) Apply(w *World) (IDs, error) {
	if err := c.Validate(); err != nil {
		return IDs{}, err
	}
	var ids IDs
	for _, s := range c.Currencies {
		ids.add(s.Key, w.Command(events.DefineCurrency(s.Name, s.Decimals)).ID)
	}
	for _, s := range c.Items {
		ids.add(s.Key, w.Command(events.DefineItem(s.Name, s.MaxStack)).ID)
	}
	for _, s := range c.Shops {
		shop := w.Command(events.OpenShop(s.Name)).ID
		ids.add(s.Key, shop)
		for _, m := range s.Funds {
			w.Command(events.Mint(shop, ids.byKey[m.Currency], m.Amount))
		}
		for _, l := range s.Listings {
			ids.add(l.Key, w.Command(events.ListingPostedEvent{Shop: shop, Item: ids.byKey[l.Item],
				Currency: ids.byKey[l.Currency], Price: l.Price, Stock: l.Stock, Name: l.Key}.Event()).ID)
		}
	}
	for _, p := range c.Players {
		pid := w.Command(events.OpenPlayer(p.Name, p.Capacity)).ID
		ids.add(p.Key, pid)
		for _, m := range p.Wallet {
			w.Command(events.Mint(pid, ids.byKey[m.Currency], m.Amount))
		}
		for _, it := range p.Items {
			w.Command(events.Grant(pid, ids.byKey[it.Item], it.Qty))
		}
	}
	return ids, nil
}
