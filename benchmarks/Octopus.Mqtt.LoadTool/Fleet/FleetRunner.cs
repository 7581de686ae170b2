using System.Collections.Concurrent;
using System.Diagnostics;
using MQTTnet;
using MQTTnet.Formatter;
using Octopus.Mqtt.LoadTool.Brokers;
using Octopus.Mqtt.LoadTool.Reporting;

namespace Octopus.Mqtt.LoadTool.Fleet;

/// <summary>
/// The fleet run: N devices in one process, each its own connection. Connects N raw MQTTnet clients (the floor),
/// then N library clients; measures the time to connect all and the managed heap per device; then kills the broker,
/// starts it again on the same port, and records when each library client attempts to reconnect (its state turning
/// to Connecting) until all are back.
/// </summary>
internal sealed class FleetRunner(ILoadBroker broker, int size, GoDuration maxReconnectInterval, TextWriter log)
{
    private static readonly TimeSpan ConnectDeadline = TimeSpan.FromSeconds(120);

    public async Task<FleetResult> RunAsync()
    {
        var toolLimit = ProcessLimits.EnsureOpenFiles((size * 2) + 512);
        log.WriteLine($"fleet: {size} devices; open-file limit of this process {Show(toolLimit)}, of the broker {Show(broker.OpenFileLimit)}");

        var (rawSeconds, rawHeap) = await RunRawFleetAsync();
        log.WriteLine($"fleet: raw MQTTnet connected {size} in {rawSeconds:F2} s, {rawHeap / 1024.0:F1} KB heap per device");

        var factory = new MqttDeviceClientFactory();
        var states = new int[size];
        var connected = 0;
        var events = new ConcurrentQueue<(long At, int Device, MqttConnectionState State)>();
        var heapBefore = ProcessMemory.CollectedHeapBytes();
        ProcessMemory.TryResetPeak();
        var clients = new IMqttDeviceClient[size];
        for (var i = 0; i < size; i++)
        {
            var device = i;
            var client = factory.Create(new DeviceIdentity("fleet", $"device-{i}", Guid.NewGuid().ToString()), Options(broker.Server, maxReconnectInterval));
            client.StateChanged += (_, e) =>
            {
                events.Enqueue((Stopwatch.GetTimestamp(), device, e.State));
                if (e.State == MqttConnectionState.Connected)
                {
                    Interlocked.Increment(ref connected);
                }
                else if (e.PreviousState == MqttConnectionState.Connected)
                {
                    Interlocked.Decrement(ref connected);
                }

                Volatile.Write(ref states[device], (int)e.State);
            };
            clients[i] = client;
        }

        try
        {
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(clients.Select(c => c.ConnectAsync())).WaitAsync(ConnectDeadline);
            var connectSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var heapPerDevice = (ProcessMemory.CollectedHeapBytes() - heapBefore) / size;
            log.WriteLine($"fleet: library connected {size} in {connectSeconds:F2} s, {heapPerDevice / 1024.0:F1} KB heap per device");

            var result = new FleetResult
            {
                Devices = size,
                MaxReconnectInterval = maxReconnectInterval.ToString(),
                ToolOpenFileLimit = toolLimit,
                BrokerOpenFileLimit = broker.OpenFileLimit,
                LibraryConnectAllSeconds = connectSeconds,
                RawConnectAllSeconds = rawSeconds,
                LibraryHeapPerDeviceBytes = heapPerDevice,
                RawHeapPerDeviceBytes = rawHeap,
                PeakResidentBytes = ProcessMemory.PeakResidentBytes(),
            };

            if (!broker.CanRestart)
            {
                log.WriteLine("fleet: the broker was given with --server, so it is not restarted");
                return result;
            }

            return await RestartAsync(result, events, () => Volatile.Read(ref connected));
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    private static string Show(long? limit) => limit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";

    private static MqttOptions Options(Uri server, GoDuration maxReconnectInterval) => new()
    {
        Client = new MqttClientSettings
        {
            Server = server.ToString(),
            MaxReconnectInterval = maxReconnectInterval,
        },
        Message = new MqttMessageSettings { Topic = "octopus/fleet/:name" },
    };

    private async Task<FleetResult> RestartAsync(FleetResult result, ConcurrentQueue<(long At, int Device, MqttConnectionState State)> events, Func<int> connected)
    {
        events.Clear();
        var kill = Stopwatch.GetTimestamp();
        await broker.KillAsync();
        await broker.StartAgainAsync();
        var down = Stopwatch.GetElapsedTime(kill).TotalSeconds;
        log.WriteLine($"fleet: broker killed and started again on the same port in {down:F2} s");

        // Wait for the clients to notice the loss, then for all of them to be back.
        // The factory's reconnect pacer admits about 100 attempts a second, so a large fleet needs size / 100 seconds.
        var deadline = maxReconnectInterval.ToTimeSpan() + TimeSpan.FromSeconds(60 + (size / 100));
        while (Stopwatch.GetElapsedTime(kill) < deadline)
        {
            await Task.Delay(50);
            if (connected() == size && events.Any(e => e.State == MqttConnectionState.Connected))
            {
                break;
            }
        }

        var snapshot = events.ToArray();
        var back = snapshot.Where(e => e.State == MqttConnectionState.Connected).Select(e => e.Device).Distinct().Count();
        var lastBack = snapshot.Where(e => e.State == MqttConnectionState.Connected).Select(e => e.At).DefaultIfEmpty(kill).Max();
        var attempts = snapshot.Where(e => e.State == MqttConnectionState.Connecting).Select(e => Stopwatch.GetElapsedTime(kill, e.At).TotalSeconds).ToArray();
        var histogram = new int[attempts.Length == 0 ? 0 : (int)Math.Floor(attempts.Max()) + 1];
        foreach (var second in attempts)
        {
            histogram[(int)Math.Floor(second)]++;
        }

        var allBack = Stopwatch.GetElapsedTime(kill, lastBack).TotalSeconds;
        log.WriteLine($"fleet: {back} of {size} reconnected; all back {allBack:F2} s after the kill; {attempts.Length} attempts");
        log.WriteLine($"fleet: attempts per second after the kill: [{string.Join(", ", histogram)}]");
        return result with
        {
            Restarted = true,
            BrokerDownSeconds = down,
            AllBackSeconds = back == size ? allBack : double.PositiveInfinity,
            Reconnected = back,
            TotalAttempts = attempts.Length,
            AttemptsPerSecond = histogram,
        };
    }

    private async Task<(double Seconds, long HeapPerDevice)> RunRawFleetAsync()
    {
        var factory = new MqttClientFactory();
        var heapBefore = ProcessMemory.CollectedHeapBytes();
        var clients = new IMqttClient[size];
        var options = new MqttClientOptions[size];
        for (var i = 0; i < size; i++)
        {
            clients[i] = factory.CreateMqttClient();
            options[i] = factory.CreateClientOptionsBuilder()
                .WithTcpServer(broker.Server.Host, broker.Server.Port)
                .WithClientId("raw-fleet-" + Guid.NewGuid().ToString("N"))
                .WithProtocolVersion(MqttProtocolVersion.V311)
                .WithCleanSession()
                .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
                .Build();
        }

        try
        {
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(clients.Select((c, i) => c.ConnectAsync(options[i]))).WaitAsync(ConnectDeadline);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var heap = (ProcessMemory.CollectedHeapBytes() - heapBefore) / size;
            return (seconds, heap);
        }
        finally
        {
            await Task.WhenAll(clients.Select(async c =>
            {
                if (c.IsConnected)
                {
                    await c.DisconnectAsync();
                }

                c.Dispose();
            }));
        }
    }
}
