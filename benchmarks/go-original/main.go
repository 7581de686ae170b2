// Command octopus-mqtt-load publishes device status through the Go original's MQTT extension
// (github.com/rancher/octopus/pkg/mqtt, on paho.mqtt.golang) and prints one JSON line of figures.
//
// It is the Go side of Octopus.Mqtt's load tool: each device is one client made by the extension's own
// NewClient, and every message goes through the extension's Publish (topic rendering, JSON encoding,
// paho, waiting for the token), exactly as an adaptor would publish. See README.md beside this file.
//
// This file lives in Octopus.Mqtt's repository (benchmarks/go-original) and is built inside a checkout of
// the Octopus repository, from its vendor/ directory, by build.sh.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/rancher/octopus/pkg/mqtt"
	"github.com/rancher/octopus/pkg/mqtt/api"
)

// status is the message a device publishes: the field names and shape of the load tool's StatusMessage, so the
// load tool's subscriber can count each message (case, device, seq) and time it (sentAt, CLOCK_MONOTONIC ns,
// the clock of .NET's Stopwatch on Linux).
type status struct {
	Case          int    `json:"case"`
	Device        int    `json:"device"`
	Seq           int    `json:"seq"`
	SentAt        int64  `json:"sentAt"`
	Gear          string `json:"gear"`
	RotatingSpeed int    `json:"rotatingSpeed"`
	On            bool   `json:"on"`
	Location      string `json:"location"`
}

// result is the one line the program prints on success.
type result struct {
	Driver       string  `json:"driver"`
	Server       string  `json:"server"`
	QoS          int     `json:"qos"`
	Devices      int     `json:"devices"`
	InFlight     int     `json:"inFlight"`
	Case         int     `json:"case"`
	Messages     int64   `json:"msgs"`
	Failed       int64   `json:"failed"`
	Seconds      float64 `json:"seconds"`
	MsgPerSec    float64 `json:"msgPerSec"`
	PublishP50Us float64 `json:"publishP50Us"`
	PublishP99Us float64 `json:"publishP99Us"`
	PayloadBytes int     `json:"payloadBytes"`
	ConnectMs    float64 `json:"connectMs"`
	PeakRSSKB    int64   `json:"peakRssKb"`
}

type settings struct {
	server       string
	qos          int
	devices      int
	inFlight     int
	messages     int
	seconds      float64
	payloadBytes int
	caseID       int
	retain       bool
	topic        string
	name         string
}

func main() {
	var s settings
	flag.StringVar(&s.server, "server", "", "broker address, tcp://host:port (required)")
	flag.IntVar(&s.qos, "qos", 1, "QoS of every publish: 0, 1 or 2")
	flag.IntVar(&s.devices, "devices", 1, "devices, each its own client and connection")
	flag.IntVar(&s.inFlight, "inflight", 1, "publishes in flight per device: 1 awaits each; N runs N goroutines, each awaiting its own")
	flag.IntVar(&s.messages, "messages", 0, "messages per device; 0 publishes for -seconds instead")
	flag.Float64Var(&s.seconds, "seconds", 5, "how long to publish when -messages is 0")
	flag.IntVar(&s.payloadBytes, "payload-bytes", 120, "about how many bytes of JSON each status is (the location is padded to reach it)")
	flag.IntVar(&s.caseID, "case", 0, "the case number written into each status (the load tool's subscriber counts by it)")
	flag.BoolVar(&s.retain, "retain", false, "publish retained messages")
	flag.StringVar(&s.topic, "topic", "octopus/load/:name", "topic template of the extension (message.topic)")
	flag.StringVar(&s.name, "name", "go", "device name prefix; device i is named <name>-d<i>")
	flag.Parse()

	if problem := s.check(); problem != "" {
		fmt.Fprintln(os.Stderr, "octopus-mqtt-load:", problem)
		os.Exit(2)
	}

	var r, err = run(s)
	if err != nil {
		fmt.Fprintln(os.Stderr, "octopus-mqtt-load:", err)
		os.Exit(1)
	}
	var line, _ = json.Marshal(r)
	fmt.Println(string(line))
}

func (s settings) check() string {
	switch {
	case s.server == "":
		return "-server is required (tcp://host:port)"
	case s.qos < 0 || s.qos > 2:
		return fmt.Sprintf("-qos %d is not 0, 1 or 2", s.qos)
	case s.devices < 1:
		return "-devices must be at least 1"
	case s.inFlight < 1:
		return "-inflight must be at least 1"
	case s.messages < 0:
		return "-messages must not be negative"
	case s.messages == 0 && s.seconds <= 0:
		return "-seconds must be positive when -messages is 0"
	}
	return ""
}

// device is one extension client and the state its goroutines share.
type device struct {
	index     int
	client    mqtt.Client
	next      int64
	failed    int64
	latencies []int64
	mu        sync.Mutex
}

func run(s settings) (result, error) {
	var stamp = time.Now().UnixNano()
	var devices = make([]*device, s.devices)
	for i := range devices {
		var client, err = newClient(s, i, stamp)
		if err != nil {
			return result{}, err
		}
		devices[i] = &device{index: i, client: client}
	}
	defer func() {
		for _, d := range devices {
			d.client.Disconnect()
		}
	}()

	var connectStart = time.Now()
	for _, d := range devices {
		if err := d.client.Connect(); err != nil {
			return result{}, fmt.Errorf("connect device %d to %s: %w", d.index, s.server, err)
		}
	}
	var connect = time.Since(connectStart)

	var location = padLocation(s)
	var deadline time.Time
	if s.messages == 0 {
		deadline = time.Now().Add(time.Duration(s.seconds * float64(time.Second)))
	}

	var wg sync.WaitGroup
	var start = time.Now()
	for _, d := range devices {
		for l := 0; l < s.inFlight; l++ {
			wg.Add(1)
			go func(d *device) {
				defer wg.Done()
				d.lane(s, location, deadline)
			}(d)
		}
	}
	wg.Wait()
	var elapsed = time.Since(start)

	var all []int64
	var sent, failed int64
	for _, d := range devices {
		all = append(all, d.latencies...)
		failed += d.failed
	}
	sent = int64(len(all))
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return result{
		Driver:       "octopus-go (pkg/mqtt on paho.mqtt.golang)",
		Server:       s.server,
		QoS:          s.qos,
		Devices:      s.devices,
		InFlight:     s.inFlight,
		Case:         s.caseID,
		Messages:     sent,
		Failed:       failed,
		Seconds:      elapsed.Seconds(),
		MsgPerSec:    float64(sent) / elapsed.Seconds(),
		PublishP50Us: percentile(all, 0.50),
		PublishP99Us: percentile(all, 0.99),
		PayloadBytes: payloadSize(s, location),
		ConnectMs:    float64(connect.Microseconds()) / 1000,
		PeakRSSKB:    peakResidentKB(),
	}, nil
}

// newClient makes device i's client the way an adaptor does: options as they are bound from a DeviceLink's
// spec.extension.mqtt, and the device's reference (its name fills the topic's :name; its UID the client ID).
func newClient(s settings, i int, stamp int64) (mqtt.Client, error) {
	var qos = api.MQTTMessageQoSLevel(s.qos)
	var retained = s.retain
	var order = s.inFlight == 1
	var quiesce = metav1.Duration{Duration: 250 * time.Millisecond}
	var depth = uint(s.inFlight * 2)
	if depth < 100 {
		depth = 100
	}
	var spec = api.MQTTOptions{
		Client: api.MQTTClientOptions{
			Server:              s.server,
			Order:               &order,
			DisconnectQuiesce:   &quiesce,
			MessageChannelDepth: &depth,
		},
		Message: api.MQTTMessageOptions{
			MQTTMessagePayloadOptions: api.MQTTMessagePayloadOptions{QoS: &qos, Retained: &retained},
			Topic:                     s.topic,
		},
	}
	var ref = corev1.ObjectReference{
		Namespace: "load",
		Name:      fmt.Sprintf("%s-d%d", s.name, i),
		UID:       types.UID(fmt.Sprintf("%x-%d-%d", stamp, os.Getpid(), i)),
	}
	var client, err = mqtt.NewClient(spec, ref, nil)
	if err != nil {
		return nil, fmt.Errorf("create device %d: %w", i, err)
	}
	return client, nil
}

// lane publishes one message at a time, awaiting each, until the device's messages or the time are used up.
func (d *device) lane(s settings, location string, deadline time.Time) {
	var message = status{Case: s.caseID, Device: d.index, Gear: "fast", On: true, Location: location}
	var latencies = make([]int64, 0, 1024)
	var failed int64
	for {
		var seq = int(atomic.AddInt64(&d.next, 1) - 1)
		if s.messages > 0 && seq >= s.messages {
			break
		}
		if s.messages == 0 && !time.Now().Before(deadline) {
			break
		}
		message.Seq = seq
		message.RotatingSpeed = seq % 300
		var begin = time.Now()
		message.SentAt = monotonic()
		if err := d.client.Publish(mqtt.PublishMessage{Payload: &message}); err != nil {
			failed++
		}
		latencies = append(latencies, time.Since(begin).Nanoseconds())
	}
	d.mu.Lock()
	d.latencies = append(d.latencies, latencies...)
	d.failed += failed
	d.mu.Unlock()
}

// clockBase pairs one CLOCK_MONOTONIC reading with a time.Time: Go's own monotonic clock is CLOCK_MONOTONIC too, so
// monotonic() is that reading plus the time since, with no system call per message.
var clockBase, clockStart = readMonotonic(), time.Now()

// monotonic gives CLOCK_MONOTONIC in nanoseconds: the clock .NET's Stopwatch reads on Linux.
func monotonic() int64 {
	return clockBase + time.Since(clockStart).Nanoseconds()
}

func readMonotonic() int64 {
	const clockMonotonic = 1 // CLOCK_MONOTONIC in <linux/time.h>
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockMonotonic, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return ts.Nano()
}

// padLocation lengthens the location so a typical status is about -payload-bytes of JSON.
func padLocation(s settings) string {
	var location = "living-room"
	var missing = s.payloadBytes - payloadSize(s, location)
	if missing > 0 {
		location += strings.Repeat("-", missing)
	}
	return location
}

func payloadSize(s settings, location string) int {
	var typical = status{Case: s.caseID, Device: s.devices - 1, Seq: 12345, SentAt: monotonic(), Gear: "fast", RotatingSpeed: 123, On: true, Location: location}
	var encoded, _ = json.Marshal(typical)
	return len(encoded)
}

// peakResidentKB is the process's peak resident set so far: VmHWM of /proc/self/status, in kilobytes (not getrusage's
// ru_maxrss, which Linux carries over from the parent across exec), or 0 where there is no such file.
func peakResidentKB() int64 {
	var status, err = os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimPrefix(line, "VmHWM:"), "%d", &kb); err == nil {
				return kb
			}
		}
	}
	return 0
}

// percentile of sorted nanoseconds, in microseconds (nearest rank).
func percentile(sorted []int64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	var rank = int(p*float64(len(sorted))+0.5) - 1
	if rank < 0 {
		rank = 0
	}
	if rank >= len(sorted) {
		rank = len(sorted) - 1
	}
	return float64(sorted[rank]) / 1000
}
