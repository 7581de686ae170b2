using System.Globalization;

namespace Octopus.Mqtt.LoadTool;

/// <summary>The command line of the load tool.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        Octopus.Mqtt load tool: the library's device client beside raw MQTTnet clients, same workload, same run.

        Usage: dotnet run -c Release --project benchmarks/Octopus.Mqtt.LoadTool -- [options]

          --server URI        broker to load (tcp://host:port). Default: mosquitto started by the tool on a free
                              127.0.0.1 port when /usr/sbin/mosquitto exists, else an in-process MQTTnet broker.
          --devices N         devices (connections) publishing at once in each case (default 1)
          --messages M        messages per device in each case (default 20000; 5000 with --quick)
          --rounds R          measured rounds of each case, library and raw alternating (default 2; 1 with --quick)
          --qos LIST          QoS levels to run, e.g. 0,1,2 (default 0,1,2)
          --in-flight W       publishes in flight per device when order is off (default 64)
          --retain            publish retained messages (default: not retained)
          --no-subscriber     no subscriber: publish throughput alone (end-to-end latency and losses not measured)
          --subscriber MODE   on (default), off (= --no-subscriber) or both: every case with and without it
          --latency [N]       also the paced cases: each QoS awaiting each at 1 msg/s (N messages, default 10)
                              and at 1,000 msg/s (3,000 messages), for publish p50/p99 at low rates
          --quick             small figures that finish in well under a minute
          --fleet [N]         after the cases, the fleet run: N devices (default 1000), each its own connection;
                              connect all, heap per device, broker restart and reconnect spread
          --only KIND         run one kind of client only, library or raw (for a profiler; no ratios)
          --no-cases          skip the throughput cases (with --fleet: the fleet run only)
          --receive           the receive case: a raw publisher's burst into a handler, library beside raw MQTTnet
                              (--messages per round, --rounds, --qos; with --no-cases: the receive case only)
          --max-reconnect D   client.maxReconnectInterval of the fleet run (Go duration, default 10s)
          --bare              also run a bare socket client in every round of every unpaced case: MQTT 3.1.1 written
                              by hand, the case's window in flight, no queue or store; the broker's ceiling here
                              for that window, printed apart (not a product, not in the targets)
          --go-driver PATH    also run the Go original (Octopus's MQTT extension) in every round of every case: the
                              driver built by benchmarks/go-original/build.sh (without it, the Go figures are
                              fixed reference figures, not measured in the run)
          --json FILE         write every figure as one JSON object
          --help              this text
        """;

    public Uri? Server { get; private set; }

    public int Devices { get; private set; } = 1;

    public int Messages { get; private set; }

    public int Rounds { get; private set; }

    public IReadOnlyList<int> QosLevels { get; private set; } = [0, 1, 2];

    public int InFlight { get; private set; } = 64;

    public bool Retain { get; private set; }

    public bool Quick { get; private set; }

    public bool Subscriber { get; private set; } = true;

    /// <summary>Gets a value indicating whether every case also runs without the subscriber (<c>--subscriber both</c>).</summary>
    public bool WithoutSubscriberToo { get; private set; }

    /// <summary>Gets the messages of the 1 msg/s cases, or 0 without <c>--latency</c>.</summary>
    public int LatencyMessages { get; private set; }

    public int Fleet { get; private set; }

    public bool Cases { get; private set; } = true;

    /// <summary>Gets the kinds of client to run: both, unless <c>--only</c> names one.</summary>
    public IReadOnlyList<string> Kinds { get; private set; } = ["raw", "library"];

    public GoDuration MaxReconnectInterval { get; private set; } = GoDuration.FromSeconds(10);

    public string? JsonPath { get; private set; }

    /// <summary>Gets the path of the Go original's load driver (benchmarks/go-original), or <see langword="null"/>.</summary>
    public string? GoDriver { get; private set; }

    public bool Help { get; private set; }

    public bool Receive { get; private set; }

    /// <summary>Gets a value indicating whether the bare socket client runs beside the others (<c>--bare</c>).</summary>
    public bool Bare { get; private set; }

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        int? messages = null;
        int? rounds = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--server":
                    options.Server = new Uri(Next(args, ref i, arg));
                    break;
                case "--devices":
                    options.Devices = PositiveInt(Next(args, ref i, arg), arg);
                    break;
                case "--messages":
                    messages = PositiveInt(Next(args, ref i, arg), arg);
                    break;
                case "--rounds":
                    rounds = PositiveInt(Next(args, ref i, arg), arg);
                    break;
                case "--qos":
                    options.QosLevels = Next(args, ref i, arg).Split(',').Select(q => int.Parse(q, CultureInfo.InvariantCulture) is var v and >= 0 and <= 2 ? v : throw new ArgumentException($"--qos: {q} is not 0, 1 or 2")).ToArray();
                    break;
                case "--in-flight":
                    options.InFlight = PositiveInt(Next(args, ref i, arg), arg);
                    break;
                case "--retain":
                    options.Retain = true;
                    break;
                case "--no-subscriber":
                    options.Subscriber = false;
                    break;
                case "--subscriber":
                    var mode = Next(args, ref i, arg);
                    (options.Subscriber, options.WithoutSubscriberToo) = mode switch
                    {
                        "on" => (true, false),
                        "off" => (false, false),
                        "both" => (true, true),
                        _ => throw new ArgumentException($"--subscriber: \"{mode}\" is not on, off or both"),
                    };
                    break;
                case "--latency":
                    options.LatencyMessages = 10;
                    if (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var paced))
                    {
                        options.LatencyMessages = paced > 0 ? paced : throw new ArgumentException("--latency: the message count must be positive");
                        i++;
                    }

                    break;
                case "--quick":
                    options.Quick = true;
                    break;
                case "--fleet":
                    options.Fleet = 1000;
                    if (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var fleet))
                    {
                        options.Fleet = fleet > 0 ? fleet : throw new ArgumentException("--fleet: the device count must be positive");
                        i++;
                    }

                    break;
                case "--only":
                    var kind = Next(args, ref i, arg);
                    options.Kinds = kind is "library" or "raw" ? [kind] : throw new ArgumentException($"--only: \"{kind}\" is not library or raw");
                    break;
                case "--bare":
                    options.Bare = true;
                    break;
                case "--receive":
                    options.Receive = true;
                    break;
                case "--no-cases":
                    options.Cases = false;
                    break;
                case "--max-reconnect":
                    options.MaxReconnectInterval = GoDuration.Parse(Next(args, ref i, arg));
                    break;
                case "--json":
                    options.JsonPath = Next(args, ref i, arg);
                    break;
                case "--go-driver":
                    var driver = Next(args, ref i, arg);
                    options.GoDriver = File.Exists(driver) ? driver : throw new ArgumentException($"--go-driver: no file \"{driver}\" (build it with benchmarks/go-original/build.sh)");
                    break;
                case "--help" or "-h":
                    options.Help = true;
                    break;
                default:
                    throw new ArgumentException($"unknown option {arg}; see --help");
            }
        }

        options.Messages = messages ?? (options.Quick ? 5000 : 20000);
        options.Rounds = rounds ?? (options.Quick ? 1 : 2);
        return options;
    }

    private static string Next(string[] args, ref int i, string name) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{name} needs a value");

    private static int PositiveInt(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name}: \"{text}\" is not a positive whole number");
}
