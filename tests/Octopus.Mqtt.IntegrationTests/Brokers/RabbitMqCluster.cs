using System.Diagnostics;
using System.Globalization;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// A two-node RabbitMQ cluster with the MQTT plugin, from Debian's <c>rabbitmq-server</c>, on 127.0.0.1: each node with
/// its own directory, ports picked by the test, and the cluster's own epmd (on a picked port, stopped on dispose).
/// </summary>
/// <remarks>Starting it takes about 20 s on two cores: both nodes in parallel, then the second joins the first.</remarks>
public sealed class RabbitMqCluster : IAsyncDisposable
{
    /// <summary>Set to 1 to fail, rather than skip, the tests that need RabbitMQ when it is missing.</summary>
    public const string RequireVariable = "OCTOPUS_MQTT_REQUIRE_RABBITMQ";

    private const string Bin = "/usr/lib/rabbitmq/bin";
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    private readonly string _directory;
    private readonly int _epmdPort;
    private readonly Node[] _nodes;

    private RabbitMqCluster(string directory)
    {
        _directory = directory;
        _epmdPort = PortPicker.Pick();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        _nodes = [new Node($"octopus{suffix}a@localhost", directory, "a"), new Node($"octopus{suffix}b@localhost", directory, "b")];
    }

    /// <summary>Gets the MQTT server URI of node <paramref name="index"/> (0 or 1).</summary>
    /// <param name="index">The node.</param>
    /// <returns>The URI.</returns>
    public string MqttServer(int index) => $"tcp://127.0.0.1:{_nodes[index].MqttPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Starts the cluster; skips the calling test when RabbitMQ is not installed (fails it with <see cref="RequireVariable"/> 1).</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running cluster.</returns>
    public static async Task<RabbitMqCluster> StartAsync(CancellationToken cancellationToken)
    {
        RequireInstalled();
        var cluster = new RabbitMqCluster(Directory.CreateTempSubdirectory("octopus-rabbitmq-").FullName);
        try
        {
            await Task.WhenAll(cluster._nodes.Select(n => n.StartAsync(cluster._epmdPort, cancellationToken))).ConfigureAwait(false);
            var second = cluster._nodes[1];
            await second.ControlAsync(cluster._epmdPort, cancellationToken, "stop_app").ConfigureAwait(false);
            await second.ControlAsync(cluster._epmdPort, cancellationToken, "join_cluster", cluster._nodes[0].Name).ConfigureAwait(false);
            await second.ControlAsync(cluster._epmdPort, cancellationToken, "start_app").ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills node <paramref name="index"/> (SIGKILL to its Erlang VM and children).</summary>
    /// <param name="index">The node.</param>
    /// <returns>A task that completes when it has exited.</returns>
    public Task KillAsync(int index) => _nodes[index].KillAsync();

    /// <summary>Kills both nodes, stops the cluster's epmd and deletes the directories.</summary>
    /// <returns>A task that completes when everything is cleaned up.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.KillAsync().ConfigureAwait(false);
            node.Dispose();
        }

        await RunAsync("/usr/bin/epmd", ["-port", _epmdPort.ToString(CultureInfo.InvariantCulture), "-kill"], null, CancellationToken.None).ConfigureAwait(false);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void RequireInstalled()
    {
        if (File.Exists(Path.Combine(Bin, "rabbitmq-server")) && File.Exists("/usr/bin/epmd"))
        {
            return;
        }

        const string Install = "install it with `apt-get install --no-install-recommends rabbitmq-server` (Debian/Ubuntu)";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            throw new InvalidOperationException($"RabbitMQ is required ({RequireVariable}=1) but {Bin}/rabbitmq-server is missing; {Install}");
        }

        Assert.Skip($"RabbitMQ is not installed ({Bin}/rabbitmq-server is missing); {Install}, or set {RequireVariable}=1 to fail instead of skipping");
    }

    private static async Task<string> RunAsync(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var text = await output.ConfigureAwait(false) + await error.ConfigureAwait(false);
        return process.ExitCode == 0 ? text : throw new InvalidOperationException($"{executable} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{text}");
    }

    private sealed class Node : IDisposable
    {
        private readonly string _home;
        private readonly ConditionRecorder<string> _output = new();
        private Process? _process;

        public Node(string name, string root, string label)
        {
            Name = name;
            _home = Path.Combine(root, label);
            Directory.CreateDirectory(Path.Combine(_home, "mnesia"));
            Directory.CreateDirectory(Path.Combine(_home, "log"));
            AmqpPort = PortPicker.Pick();
            MqttPort = PortPicker.Pick();
            DistributionPort = PortPicker.Pick();
            var cookie = Path.Combine(_home, ".erlang.cookie");
            File.WriteAllText(cookie, "OCTOPUSMQTTTESTCOOKIE");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
            }

            File.WriteAllText(Path.Combine(_home, "enabled_plugins"), "[rabbitmq_mqtt].");
            File.WriteAllText(Path.Combine(_home, "rabbitmq.conf"), string.Join('\n',
                $"listeners.tcp.default = 127.0.0.1:{AmqpPort.ToString(CultureInfo.InvariantCulture)}",
                $"mqtt.listeners.tcp.default = 127.0.0.1:{MqttPort.ToString(CultureInfo.InvariantCulture)}",
                "mqtt.allow_anonymous = true",
                "loopback_users = none",
                string.Empty));
        }

        public string Name { get; }

        public int AmqpPort { get; }

        public int MqttPort { get; }

        public int DistributionPort { get; }

        public async Task StartAsync(int epmdPort, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo(Path.Combine(Bin, "rabbitmq-server")) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var (name, value) in Environment(epmdPort))
            {
                start.Environment[name] = value;
            }

            start.Environment["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(CultureInfo.InvariantCulture);
            start.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_home, "mnesia");
            start.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(_home, "log");
            start.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_home, "enabled_plugins");
            start.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(_home, "rabbitmq");
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => Record(e.Data);
            _process.ErrorDataReceived += (_, e) => Record(e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            var ready = _output.WaitForAsync(l => l.Contains("Starting broker... completed", StringComparison.Ordinal), Startup);
            var exited = _process.WaitForExitAsync(cancellationToken);
            if (await Task.WhenAny(ready, exited).ConfigureAwait(false) == exited)
            {
                throw new InvalidOperationException($"RabbitMQ node {Name} exited while starting:\n{string.Join('\n', _output.GetSnapshot())}");
            }

            await ready.ConfigureAwait(false);
        }

        public Task<string> ControlAsync(int epmdPort, CancellationToken cancellationToken, params string[] command) =>
            RunAsync(Path.Combine(Bin, "rabbitmqctl"), ["-n", Name, .. command], Environment(epmdPort), cancellationToken);

        public async Task KillAsync()
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        public void Dispose() => _process?.Dispose();

        private Dictionary<string, string> Environment(int epmdPort) => new()
        {
            ["HOME"] = _home,
            ["RABBITMQ_NODENAME"] = Name,
            ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
        };

        private void Record(string? line)
        {
            if (line is not null)
            {
                _output.Add(line);
            }
        }
    }
}
