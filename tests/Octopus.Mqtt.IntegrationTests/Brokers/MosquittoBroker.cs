using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Octopus.Mqtt.Tests.Shared;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// A real mosquitto broker (Debian's /usr/sbin/mosquitto, or one on PATH) run by a test: a configuration generated in a temporary
/// directory, listeners on 127.0.0.1 ports picked by the test, its log collected for diagnostics. It can be stopped,
/// killed and started again on the same ports, and is always stopped and cleaned up by <see cref="DisposeAsync"/>.
/// </summary>
/// <remarks>
/// Without mosquitto the test is skipped with a message saying how to install it, unless the environment variable
/// <see cref="RequireVariable"/> is <c>1</c>, in which case it fails.
/// </remarks>
public sealed class MosquittoBroker : IAsyncDisposable
{
    /// <summary>The environment variable that turns a missing mosquitto from a skip into a failure.</summary>
    public const string RequireVariable = "OCTOPUS_MQTT_REQUIRE_MOSQUITTO";

    private const int MaxAttempts = 5;
    private const int SigTerm = 15;

    private static readonly string[] Candidates = ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/opt/homebrew/sbin/mosquitto"];

    private readonly ConditionRecorder<string> _log = new();
    private readonly string _executable;
    private Process? _process;
    private int _runStart;

    private MosquittoBroker(string executable, MosquittoOptions options, string directory)
    {
        _executable = executable;
        Options = options;
        Directory = directory;
        UnixSocketPath = options.UnixSocket ? Path.Combine(directory, "mosquitto.sock") : null;
    }

    /// <summary>Gets what the broker listens on.</summary>
    public MosquittoOptions Options { get; }

    /// <summary>Gets the temporary directory with the configuration, the certificates, the password file and the socket.</summary>
    public string Directory { get; }

    /// <summary>Gets the plain TCP port, or 0 without a TCP listener.</summary>
    public int TcpPort { get; private set; }

    /// <summary>Gets the TLS port, or 0 without a TLS listener.</summary>
    public int TlsPort { get; private set; }

    /// <summary>Gets the Unix socket's absolute path, or <see langword="null"/> without a Unix socket listener.</summary>
    public string? UnixSocketPath { get; }

    /// <summary>Gets the <c>client.server</c> of the TCP listener.</summary>
    public string TcpServer => $"tcp://127.0.0.1:{TcpPort}";

    /// <summary>Gets the <c>client.server</c> of the TLS listener, by IP address (the broker certificates hold 127.0.0.1).</summary>
    public string TlsServer => $"ssl://127.0.0.1:{TlsPort}";

    /// <summary>Gets the <c>client.server</c> of the Unix socket listener.</summary>
    public string UnixServer => $"unix://{UnixSocketPath}";

    /// <summary>Gets the generated configuration file's path.</summary>
    public string ConfigurationPath => Path.Combine(Directory, "mosquitto.conf");

    /// <summary>Gets a value indicating whether the mosquitto process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Gets the packets mosquitto logged (<c>log_type all</c> is always on), over all its runs, as typed entries.</summary>
    public MosquittoPacketLog Packets { get; } = new();

    /// <summary>Gets every line mosquitto logged, over all its runs.</summary>
    public IReadOnlyList<string> LogLines => _log.GetSnapshot();

    /// <summary>Gets the log and the configuration, for a failure message.</summary>
    public string Diagnostics => $"mosquitto configuration:\n{ReadConfiguration()}\nmosquitto log:\n{string.Join('\n', LogLines)}";

    /// <summary>
    /// Finds mosquitto; when it is missing, skips the calling test (or fails it when <see cref="RequireVariable"/> is 1).
    /// </summary>
    /// <returns>The path of the mosquitto executable.</returns>
    public static string RequireExecutable()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "mosquitto"));
        var found = Candidates.Concat(onPath).FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }

        const string Install = "install it with `apt-get install mosquitto` (Debian/Ubuntu)";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            throw new InvalidOperationException($"mosquitto is required ({RequireVariable}=1) but is neither at {string.Join(", ", Candidates)} nor on PATH; {Install}");
        }

        Assert.Skip($"mosquitto is not installed (neither at {string.Join(", ", Candidates)} nor on PATH); {Install}, or set {RequireVariable}=1 to fail instead of skipping");
        return string.Empty;
    }

    /// <summary>Starts a broker, picking free ports (and picking again if one was taken meanwhile).</summary>
    /// <param name="options">The listeners and users; a plain TCP listener when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running broker.</returns>
    public static async Task<MosquittoBroker> StartAsync(MosquittoOptions? options = null, CancellationToken cancellationToken = default)
    {
        var executable = RequireExecutable();
        var directory = System.IO.Directory.CreateTempSubdirectory("octopus-mosquitto-").FullName;
        var broker = new MosquittoBroker(executable, options ?? new MosquittoOptions(), directory);
        try
        {
            broker.WriteSupportFiles();
            for (var attempt = 1; ; attempt++)
            {
                broker.TcpPort = broker.Options.Tcp ? PortPicker.Pick() : 0;
                broker.TlsPort = broker.Options.Tls is null ? 0 : PortPicker.Pick();
                broker.WriteConfiguration();
                if (await broker.TryRunAsync(cancellationToken).ConfigureAwait(false))
                {
                    return broker;
                }

                if (attempt == MaxAttempts || !broker.LastRunLost("Address already in use"))
                {
                    throw new InvalidOperationException($"mosquitto exited while starting (attempt {attempt}).\n{broker.Diagnostics}");
                }
            }
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the broker again, on the same ports and socket, after <see cref="StopAsync"/> or <see cref="KillAsync"/>.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the broker accepts connections.</returns>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("mosquitto is running already");
        }

        if (!await TryRunAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"mosquitto exited while starting again on the same ports.\n{Diagnostics}");
        }
    }

    /// <summary>Stops the broker with SIGTERM (it closes its connections; wills of connected clients are published).</summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public async Task StopAsync()
    {
        if (!IsRunning)
        {
            return;
        }

        _ = Kill(_process!.Id, SigTerm);
        await WaitForExitOrKillAsync().ConfigureAwait(false);
    }

    /// <summary>Kills the broker with SIGKILL: its connections break without a word.</summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public async Task KillAsync()
    {
        if (!IsRunning)
        {
            return;
        }

        _process!.Kill();
        await WaitForExitOrKillAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until mosquitto logs a line containing <paramref name="fragment"/> (in any run so far).</summary>
    /// <param name="fragment">The text to look for.</param>
    /// <param name="timeout">The deadline; <see cref="TestTimeouts.Arrival"/> when <see langword="null"/>.</param>
    /// <returns>The first such line.</returns>
    public Task<string> WaitForLogAsync(string fragment, TimeSpan? timeout = null) =>
        WaitForLogAsync(line => line.Contains(fragment, StringComparison.Ordinal), timeout);

    /// <summary>Waits until a log line matches <paramref name="predicate"/>.</summary>
    /// <param name="predicate">What the line must satisfy.</param>
    /// <param name="timeout">How long to wait; <see cref="TestTimeouts.Arrival"/> by default.</param>
    /// <returns>The first matching line.</returns>
    public Task<string> WaitForLogAsync(Func<string, bool> predicate, TimeSpan? timeout = null) =>
        _log.WaitForAsync(predicate, timeout);

    /// <summary>Kills the broker if it runs and deletes its directory.</summary>
    /// <returns>A task that completes when everything is cleaned up.</returns>
    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process?.Dispose();
        _process = null;
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code in the test project for one call.
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054

    private async Task<bool> TryRunAsync(CancellationToken cancellationToken)
    {
        _process?.Dispose();
        _runStart = _log.Count;
        var start = new ProcessStartInfo(_executable)
        {
            ArgumentList = { "-c", ConfigurationPath },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.Start();
        _process = process;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var runStart = _runStart;
        var ready = _log.WaitUntilAsync(lines => lines.Skip(runStart).Any(l => l.EndsWith(" running", StringComparison.Ordinal)), "mosquitto to run", TestTimeouts.Startup);
        var exited = process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(ready, exited).ConfigureAwait(false);
        if (first == ready && ready.IsCompletedSuccessfully)
        {
            return true;
        }

        if (first == exited)
        {
            await exited.ConfigureAwait(false);
            return false;
        }

        await KillAsync().ConfigureAwait(false);
        throw new TimeoutException($"mosquitto did not start within {TestTimeouts.Startup.TotalSeconds}s.\n{Diagnostics}", ready.Exception);
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            Packets.Record(line);
            _log.Add(line);
        }
    }

    private bool LastRunLost(string fragment) => LogLines.Skip(_runStart).Any(l => l.Contains(fragment, StringComparison.Ordinal));

    private async Task WaitForExitOrKillAsync()
    {
        var process = _process!;
        try
        {
            await process.WaitForExitAsync().WaitAsync(TestTimeouts.Startup).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    private string ReadConfiguration() => File.Exists(ConfigurationPath) ? File.ReadAllText(ConfigurationPath) : "(not written)";

    private void WriteSupportFiles()
    {
        if (Options.Tls is { } tls)
        {
            TestPki.WriteFile(Directory, "server.pem", TestPki.CertificatePem(tls.ServerCertificate));
            TestPki.WriteFile(Directory, "server.key", TestPki.Pkcs8KeyPem(tls.ServerCertificate));
            TestPki.WriteFile(Directory, "client-ca.pem", TestPki.CertificatePem(tls.ClientCa));
        }

        if (Options.Users is { } users)
        {
            var lines = new StringBuilder();
            foreach (var (user, password) in users)
            {
                lines.Append(user).Append(':').Append(HashPassword(password)).Append('\n');
            }

            File.WriteAllText(Path.Combine(Directory, "passwd"), lines.ToString());
        }
    }

    private void WriteConfiguration()
    {
        var config = new StringBuilder();
        config.Append("# generated for a test by MosquittoBroker\n");
        config.Append(CultureInfo.InvariantCulture, $"user {Environment.UserName}\n");
        config.Append("per_listener_settings false\n");
        config.Append("persistence false\n");
        config.Append("log_dest stderr\n");
        config.Append("log_type all\n");
        config.Append("connection_messages true\n");
        config.Append(CultureInfo.InvariantCulture, $"allow_anonymous {(Options.Users is null ? "true" : "false")}\n");
        if (Options.Users is not null)
        {
            config.Append(CultureInfo.InvariantCulture, $"password_file {Path.Combine(Directory, "passwd")}\n");
        }

        if (Options.Tcp)
        {
            config.Append(CultureInfo.InvariantCulture, $"listener {TcpPort} 127.0.0.1\n");
        }

        if (Options.Tls is { } tls)
        {
            config.Append(CultureInfo.InvariantCulture, $"listener {TlsPort} 127.0.0.1\n");
            config.Append(CultureInfo.InvariantCulture, $"certfile {Path.Combine(Directory, "server.pem")}\n");
            config.Append(CultureInfo.InvariantCulture, $"keyfile {Path.Combine(Directory, "server.key")}\n");
            config.Append(CultureInfo.InvariantCulture, $"cafile {Path.Combine(Directory, "client-ca.pem")}\n");
            config.Append(CultureInfo.InvariantCulture, $"require_certificate {(tls.RequireClientCertificate ? "true" : "false")}\n");
        }

        if (UnixSocketPath is not null)
        {
            config.Append(CultureInfo.InvariantCulture, $"listener 0 {UnixSocketPath}\n");
        }

        foreach (var line in Options.ExtraConfiguration)
        {
            config.Append(line).Append('\n');
        }

        File.WriteAllText(ConfigurationPath, config.ToString());
    }

    /// <summary>The password file entry mosquitto 2 writes: <c>$7$iterations$salt$hash</c>, PBKDF2-HMAC-SHA512.</summary>
    private static string HashPassword(string password)
    {
        const int Iterations = 101;
        var salt = RandomNumberGenerator.GetBytes(12);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA512, 64);
        return $"$7${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }
}
