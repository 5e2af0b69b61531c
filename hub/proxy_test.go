package hub_test

import (
	"bytes"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// proxy stands between nodes and the server on loopback: it keeps every
// byte it carries (what a listener on the clinic's network would see)
// and can cut the connections after a number of bytes sent.
type proxy struct {
	l      net.Listener
	target string
	mu     sync.Mutex
	seen   bytes.Buffer
	// cut, when above 0, ends every connection once that many bytes went
	// to the server through it
	cut   int
	conns []net.Conn
}

func newProxy(t *testing.T, port int) *proxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{l: l, target: "127.0.0.1:" + strconv.Itoa(port)}
	t.Cleanup(func() { l.Close(); p.closeAll() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

// url is u (a node's URL to the server) through the proxy.
func (p *proxy) url(u string, port int) string {
	return strings.Replace(u, "127.0.0.1:"+strconv.Itoa(port), p.l.Addr().String(), 1)
}

func (p *proxy) serve(c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, c, s)
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn, up bool) {
		buf := make([]byte, 32<<10)
		sent := 0
		for {
			n, err := src.Read(buf)
			if n > 0 {
				p.mu.Lock()
				p.seen.Write(buf[:n])
				cut := p.cut
				p.mu.Unlock()
				if up && cut > 0 && sent+n > cut {
					dst.Write(buf[:cut-sent])
					break
				}
				sent += n
				if _, err := dst.Write(buf[:n]); err != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		dst.Close()
		src.Close()
		done <- struct{}{}
	}
	go pipe(s, c, true)
	go pipe(c, s, false)
	<-done
	<-done
}

// carried is every byte the proxy carried so far.
func (p *proxy) carried() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return bytes.Clone(p.seen.Bytes())
}

// cutAfter makes connections end after n bytes to the server (0: never).
func (p *proxy) cutAfter(n int) {
	p.mu.Lock()
	p.cut = n
	p.mu.Unlock()
}

func (p *proxy) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
